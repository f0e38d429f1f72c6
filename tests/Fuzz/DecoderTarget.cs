using Cln.ProtocolExtensions.Hostile.Tests;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Fuzz;

/// <summary>
/// The decoders target: the first byte picks one of the generated decoders, the rest is the message.
/// TryRead must not throw; a decoded value must re-encode to exactly the input with a correct length;
/// Read must throw nothing but <see cref="WireFormatException"/>.
/// </summary>
internal static class DecoderTarget
{
    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        MessageCase c = MessageCases.All[input[0] % MessageCases.All.Count];
        ReadOnlySpan<byte> message = input.AsSpan(1);
        bool ok = c.TryRead(message, out ICustomMessage? value, out WireError error);
        if (ok)
        {
            int length = value!.GetEncodedLength();
            byte[] again = new byte[length];
            int written = value.WriteTo(again);
            if (written != length || !message.SequenceEqual(again))
            {
                throw new InvalidOperationException($"{c.Name}: decoded input does not re-encode to the same bytes");
            }
        }
        else if (error.Kind == WireErrorKind.None || error.Offset < 0 || error.Offset > message.Length)
        {
            throw new InvalidOperationException($"{c.Name}: refusal without a proper error: {error}");
        }

        try
        {
            c.Read(message);
            if (!ok)
            {
                throw new InvalidOperationException($"{c.Name}: Read accepted what TryRead refused");
            }
        }
        catch (WireFormatException) when (!ok)
        {
        }
    }
}
