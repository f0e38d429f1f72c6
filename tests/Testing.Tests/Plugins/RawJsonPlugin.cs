using System.Text;
using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing.Tests.Plugins;

/// <summary>
/// A hand-written plugin that speaks the protocol with nothing but System.Text.Json: it splits stdin on
/// "\n\n" as pyln and cln-plugin do, answers getmanifest with <see cref="Manifest"/>, init with {}, every
/// hook with continue, and logs each custommsg it sees. Tests override any answer with <see cref="OnRequest"/>.
/// </summary>
internal sealed class RawJsonPlugin
{
    public const string DefaultManifest =
        """{"options":[],"rpcmethods":[],"subscriptions":["custommsg","connect","disconnect","shutdown"],"hooks":[{"name":"custommsg"}],"dynamic":true,"nonnumericids":true}""";

    private readonly List<string> _requests = [];
    private readonly List<string> _notifications = [];

    /// <summary>The <c>result</c> of getmanifest, verbatim.</summary>
    public string Manifest { get; init; } = DefaultManifest;

    /// <summary>Returns the exact bytes to write for a request, or null for the default answer.</summary>
    public Func<string, string, JsonElement, string?>? OnRequest { get; init; }

    /// <summary>Written to stdout right after init is answered (to test what lightningd does with it).</summary>
    public string? AfterInit { get; init; }

    /// <summary>The method names of the requests received, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    /// <summary>Notifications received, as "method params-json".</summary>
    public IReadOnlyList<string> ReceivedNotifications
    {
        get { lock (_notifications) return _notifications.ToArray(); }
    }

    public static string Reply(string id, string resultJson) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + JsonSerializer.Serialize(id) + ",\"result\":" + resultJson + "}\n\n";

    public static string Log(string level, string message) =>
        "{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":{\"level\":" + JsonSerializer.Serialize(level)
        + ",\"message\":" + JsonSerializer.Serialize(message) + "}}\n\n";

    public async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new StringBuilder();
        var bytes = new byte[8192];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[8192];
        while (true)
        {
            int read = await input.ReadAsync(bytes, cancellationToken);
            if (read == 0)
                return; // stdin closed: exit, as a plugin must
            int n = decoder.GetChars(bytes, 0, read, chars, 0);
            buffer.Append(chars, 0, n);
            string text = buffer.ToString();
            int end;
            while ((end = text.IndexOf("\n\n", StringComparison.Ordinal)) >= 0)
            {
                string message = text[..end];
                text = text[(end + 2)..];
                if (!await HandleAsync(message, output, cancellationToken))
                    return;
            }
            buffer.Clear().Append(text);
        }
    }

    private async Task<bool> HandleAsync(string message, Stream output, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(message);
        var root = doc.RootElement;
        string method = root.GetProperty("method").GetString()!;
        var p = root.GetProperty("params");
        if (!root.TryGetProperty("id", out var idTok))
        {
            lock (_notifications) _notifications.Add($"{method} {p.GetRawText()}");
            return method != "shutdown";
        }

        string id = idTok.GetString()!;
        lock (_requests) _requests.Add(method);
        string? answer = OnRequest?.Invoke(method, id, p);
        answer ??= method switch
        {
            "getmanifest" => Reply(id, Manifest),
            "init" => Reply(id, "{}"),
            "custommsg" => Log("info", $"custommsg {p.GetProperty("payload").GetString()} from {p.GetProperty("peer_id").GetString()}")
                           + Reply(id, """{"result":"continue"}"""),
            _ => Reply(id, """{"result":"continue"}"""),
        };
        await output.WriteAsync(Encoding.UTF8.GetBytes(answer), cancellationToken);
        await output.FlushAsync(cancellationToken);
        if (method == "init" && AfterInit is not null)
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes(AfterInit), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        return true;
    }
}
