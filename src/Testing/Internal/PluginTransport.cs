using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;

namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>The two pipes between lightningd and one plugin, and the plugin's lifetime.</summary>
internal abstract class PluginTransport
{
    /// <summary>The plugin's stdin: lightningd writes here.</summary>
    public abstract Stream Stdin { get; }

    /// <summary>The plugin's stdout: lightningd reads here.</summary>
    public abstract Stream Stdout { get; }

    /// <summary>Completes when the plugin has exited (faulted with its exception for an in-process plugin).</summary>
    public abstract Task Exited { get; }

    /// <summary>What the plugin wrote to stderr so far.</summary>
    public virtual string StandardError => string.Empty;

    /// <summary>Closes the plugin's stdin: it sees end of file.</summary>
    public abstract void CloseStdin();

    /// <summary>SIGKILL, or for an in-process plugin: cancel it and break both pipes.</summary>
    public abstract void Kill();
}

internal sealed class InProcessTransport : PluginTransport
{
    private readonly Pipe _stdin = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false));
    private readonly Pipe _stdout = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false));
    private readonly CancellationTokenSource _cts = new();
    private readonly Stream _stdinWriter;
    private readonly Stream _stdoutReader;
    private int _stdinClosed;

    public InProcessTransport(Func<Stream, Stream, CancellationToken, Task> plugin)
    {
        _stdinWriter = _stdin.Writer.AsStream();
        _stdoutReader = _stdout.Reader.AsStream();
        var input = _stdin.Reader.AsStream();
        var output = _stdout.Writer.AsStream();
        Exited = Task.Run(async () =>
        {
            try
            {
                await plugin(input, output, _cts.Token).ConfigureAwait(false);
            }
            finally
            {
                // The process is gone: its end of both pipes closes.
                await _stdout.Writer.CompleteAsync().ConfigureAwait(false);
                await _stdin.Reader.CompleteAsync().ConfigureAwait(false);
            }
        });
    }

    public override Stream Stdin => _stdinWriter;

    public override Stream Stdout => _stdoutReader;

    public override Task Exited { get; }

    public override void CloseStdin()
    {
        if (Interlocked.Exchange(ref _stdinClosed, 1) == 0)
            _stdin.Writer.Complete();
    }

    public override void Kill()
    {
        CloseStdin();
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
        _stdout.Writer.Complete(new OperationCanceledException("The plugin was killed."));
    }
}

internal sealed class ProcessTransport : PluginTransport
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private int _stdinClosed;

    public ProcessTransport(ProcessStartInfo startInfo)
    {
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.Start();
        _process.BeginErrorReadLine();
        Exited = _process.WaitForExitAsync();
    }

    public int ProcessId => _process.Id;

    public override Stream Stdin => _process.StandardInput.BaseStream;

    public override Stream Stdout => _process.StandardOutput.BaseStream;

    public override Task Exited { get; }

    public override string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public override void CloseStdin()
    {
        if (Interlocked.Exchange(ref _stdinClosed, 1) == 0)
        {
            try { _process.StandardInput.Close(); } catch (IOException) { } catch (InvalidOperationException) { }
        }
    }

    public override void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        CloseStdin();
    }
}
