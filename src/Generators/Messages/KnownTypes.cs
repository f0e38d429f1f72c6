using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>Names of the attributes and runtime types the parser recognises, compared without a Compilation.</summary>
internal static class KnownTypes
{
    public const string AttributeNamespace = "Cln.ProtocolExtensions";
    public const string CustomMessageAttribute = "Cln.ProtocolExtensions.CustomMessageAttribute";
    public const string WireSubtypeAttribute = "Cln.ProtocolExtensions.WireSubtypeAttribute";

    public const string CustomMessage = "CustomMessageAttribute";
    public const string WireSubtype = "WireSubtypeAttribute";
    public const string Tlv = "TlvAttribute";
    public const string LengthPrefixed = "LengthPrefixedAttribute";
    public const string FixedLength = "FixedLengthAttribute";
    public const string RestOfMessage = "RestOfMessageAttribute";
    public const string Truncated = "TruncatedAttribute";
    public const string BigSize = "BigSizeAttribute";
    public const string WireIgnore = "WireIgnoreAttribute";

    /// <summary>The attributes that say how a member goes on the wire (all but <see cref="WireIgnore"/>).</summary>
    public static readonly string[] WireAttributes = [Tlv, LengthPrefixed, FixedLength, RestOfMessage, Truncated, BigSize];

    /// <summary>True when <paramref name="attribute"/> is <c>Cln.ProtocolExtensions.{name}</c>.</summary>
    public static bool Is(AttributeData attribute, string name)
    {
        INamedTypeSymbol? type = attribute.AttributeClass;
        return type is not null
            && type.Name == name
            && type.ContainingType is null
            && type.ContainingNamespace is { Name: "ProtocolExtensions", ContainingNamespace: { Name: "Cln", ContainingNamespace.IsGlobalNamespace: true } };
    }

    /// <summary>True when the type carries <c>[WireSubtype]</c>.</summary>
    public static bool IsWireSubtype(ITypeSymbol type)
    {
        foreach (AttributeData a in type.GetAttributes())
        {
            if (Is(a, WireSubtype))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The metadata name of a named type, e.g. <c>NBitcoin.uint256</c>.</summary>
    public static string MetadataName(ITypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns && type.ContainingType is null
            ? ns.ToDisplayString() + "." + type.MetadataName
            : type.ToDisplayString();
}
