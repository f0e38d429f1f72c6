namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// A hook's or notification's payload from lightningd does not read as its typed record: a required
/// field is missing or a value has the wrong type (a node id that is not one, an amount that is not a
/// number). The runtime logs it (one <c>unusual</c> line), skips the handler, and answers a hook with
/// its safe default. Throw it from your own <see cref="IPluginNotification{TSelf}.FromJson"/> too.
/// </summary>
public sealed class PayloadFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The field that does not read (a JSON path such as <c>htlc.amount_msat</c>).</param>
    /// <param name="message">What is wrong with it.</param>
    public PayloadFormatException(string field, string message)
        : base($"'{field}' {message}")
    {
        Field = field;
    }

    /// <summary>The field that does not read.</summary>
    public string Field { get; }
}
