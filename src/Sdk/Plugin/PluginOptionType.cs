namespace Cln.ProtocolExtensions.Plugin;

/// <summary>The type of a plugin option, as lightningd knows it (<c>options[].type</c> in the manifest).</summary>
public enum PluginOptionType
{
    /// <summary><c>string</c>: any text.</summary>
    String,

    /// <summary><c>string-conceal</c>: text that <c>listconfigs</c> shows as "...", for secrets.</summary>
    ConcealedString,

    /// <summary><c>int</c>: a signed 64-bit integer.</summary>
    Integer,

    /// <summary><c>bool</c>: true or false.</summary>
    Boolean,

    /// <summary><c>flag</c>: set (true) by naming it, otherwise false. Cannot be multi.</summary>
    Flag,
}
