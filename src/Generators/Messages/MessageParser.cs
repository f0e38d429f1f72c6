using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Cln.ProtocolExtensions.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>
/// Turns a <c>[CustomMessage]</c> or <c>[WireSubtype]</c> type into a <see cref="MessageSpec"/>.
/// Shared by the generator (which only needs the model, and emits nothing for an invalid type) and
/// the analyzer (which reports the diagnostics with real locations).
/// </summary>
internal sealed class MessageParser
{
    private const int MaxSubtypeDepth = 16;

    private readonly List<Diagnostic>? _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private bool _hasErrors;

    private readonly int _depth;

    /// <summary>
    /// Subtypes met while parsing one type, and whether each is valid; a subtype still being parsed
    /// counts as valid (its own problems are found by that parse), which stops cycles.
    /// </summary>
    private readonly Dictionary<INamedTypeSymbol, bool> _subtypeValidity;

    private MessageParser(List<Diagnostic>? diagnostics, CancellationToken cancellationToken, int depth = 0, Dictionary<INamedTypeSymbol, bool>? subtypeValidity = null)
    {
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
        _depth = depth;
        _subtypeValidity = subtypeValidity ?? new Dictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
    }

    /// <summary>
    /// Whether a subtype that a field uses gets generated code (it has no errors, nor has any subtype it
    /// uses). The generator emits nothing for a type that uses an invalid subtype either, so that the
    /// subtype's own diagnostic is the only error, with no follow-on errors in generated code.
    /// </summary>
    private bool IsValidSubtype(INamedTypeSymbol subtype)
    {
        if (_diagnostics is not null)
        {
            // The analyzer reports the subtype's problems where it is declared.
            return true;
        }

        if (_subtypeValidity.TryGetValue(subtype, out bool valid))
        {
            return valid;
        }

        if (_depth >= MaxSubtypeDepth)
        {
            return true;
        }

        _subtypeValidity[subtype] = true;
        var parser = new MessageParser(null, _cancellationToken, _depth + 1, _subtypeValidity);
        parser.ParseType(subtype);
        _subtypeValidity[subtype] = !parser._hasErrors;
        return !parser._hasErrors;
    }

    /// <summary>
    /// The model of a subtype whose fields are all fixed-size integers or ids (so every value takes the
    /// same number of bytes), or null. Parsed quietly: its own diagnostics are reported where it is declared.
    /// </summary>
    private MessageSpec? FixedLayoutOf(INamedTypeSymbol subtype)
    {
        if (_depth >= 2 || _diagnostics is not null)
        {
            // The analyzer does not need layouts; nested layouts are not inlined.
            return null;
        }

        var parser = new MessageParser(null, _cancellationToken, _depth + 1, _subtypeValidity);
        MessageSpec? spec = parser.ParseType(subtype);
        if (parser._hasErrors || spec is null || !spec.IsSubtype || spec.Fields.Count == 0)
        {
            return null;
        }

        foreach (FieldSpec field in spec.Fields)
        {
            if (field.Type.Kind is not (WireKind.Byte or WireKind.S8 or WireKind.U16 or WireKind.S16 or WireKind.U32
                or WireKind.S32 or WireKind.U64 or WireKind.S64 or WireKind.ShortChannelId or WireKind.ChannelId))
            {
                return null;
            }
        }

        return spec;
    }

    /// <summary>Parses a type for the generator: the model, or <see langword="null"/> when the type is invalid.</summary>
    public static MessageSpec? Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var parser = new MessageParser(null, cancellationToken);
        parser._subtypeValidity[type] = true;
        MessageSpec? spec = parser.ParseType(type);
        return parser._hasErrors ? null : spec;
    }

    /// <summary>Parses a type for the analyzer, adding every diagnostic to <paramref name="diagnostics"/>.</summary>
    public static void Analyze(INamedTypeSymbol type, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var parser = new MessageParser(diagnostics, cancellationToken);
        parser.ParseType(type);
        parser.CheckMessageTypeNumber(type);
    }

    /// <summary>The type number declared by <c>[CustomMessage(n)]</c>, with the attribute, or null.</summary>
    public static (int Type, AttributeData Attribute)? GetMessageType(INamedTypeSymbol type)
    {
        foreach (AttributeData a in type.GetAttributes())
        {
            if (KnownTypes.Is(a, KnownTypes.CustomMessage) && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is ushort n)
            {
                return (n, a);
            }
        }

        return null;
    }

    /// <summary>The location of the <c>[CustomMessage(n)]</c> argument, for diagnostics about the number.</summary>
    public static Location GetMessageTypeLocation(INamedTypeSymbol type, AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList.Arguments: { Count: > 0 } args })
        {
            return args[0].GetLocation();
        }

        return GetTypeLocation(type, cancellationToken);
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            _hasErrors = true;
        }

        _diagnostics?.Add(Diagnostic.Create(descriptor, location, args));
    }

    private static Location GetTypeLocation(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax declaration)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return type.Locations.FirstOrDefault() ?? Location.None;
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return type.DeclaringSyntaxReferences.Length > 0;
    }

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, IsValueType: true } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Interface } => "interface",
        { IsValueType: true } => "struct",
        _ => "class",
    };

    private MessageSpec? ParseType(INamedTypeSymbol type)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        Location typeLocation = GetTypeLocation(type, _cancellationToken);
        string display = type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

        (int Type, AttributeData Attribute)? messageType = GetMessageType(type);
        bool isSubtype = KnownTypes.IsWireSubtype(type);
        bool isMessage = messageType is not null;
        if (isMessage && isSubtype)
        {
            Report(Descriptors.MessageAndSubtype, typeLocation, display);
        }

        if (!IsPartial(type, _cancellationToken))
        {
            Report(Descriptors.NotPartial, typeLocation, display);
        }

        if (!type.IsRecord)
        {
            Report(Descriptors.NotRecord, typeLocation, display);
        }

        var containing = new List<ContainingTypeSpec>();
        bool generic = type.IsGenericType;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            generic |= outer.IsGenericType;
            if (!IsPartial(outer, _cancellationToken))
            {
                Report(Descriptors.ContainingTypeNotPartial, typeLocation, outer.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), display);
            }

            containing.Insert(0, new ContainingTypeSpec(Keyword(outer), outer.Name));
        }

        if (generic)
        {
            Report(Descriptors.Generic, typeLocation, display);
        }

        if (type.IsRecord && !type.IsValueType && type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            Report(Descriptors.DerivedRecord, typeLocation, display, baseType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
        }

        CheckReservedNames(type, isSubtype, display);
        List<Member> all = CollectMembers(type, _cancellationToken);
        var parameters = new List<string>();
        foreach (Member member in all)
        {
            if (member.IsParameter)
            {
                parameters.Add(member.IsIgnored ? string.Empty : member.Name);
            }

            if (member.IsIgnored)
            {
                foreach (string name in KnownTypes.WireAttributes)
                {
                    if (member.Find(name) is { } attribute)
                    {
                        Report(Descriptors.IgnoredWithWireAttribute, AttributeLocation(attribute) ?? member.Location, member.Name, ShortName(attribute));
                    }
                }
            }
        }

        List<Member> members = all.Where(m => !m.IsIgnored).ToList();
        var fields = new List<FieldSpec>();
        var tlvs = new List<TlvSpec>();
        var tlvNames = new Dictionary<ulong, string>();
        string? firstTlv = null;
        int lastFixed = -1;
        for (int i = 0; i < members.Count; i++)
        {
            if (members[i].Tlv is null)
            {
                lastFixed = i;
            }
        }

        bool hasTlv = members.Any(m => m.Tlv is not null);
        bool readsToEnd = false;
        for (int i = 0; i < members.Count; i++)
        {
            Member member = members[i];
            if (member.Tlv is { } tlvAttribute)
            {
                firstTlv ??= member.Name;
                if (isSubtype)
                {
                    Report(Descriptors.TlvInSubtype, member.Location, member.Name);
                    continue;
                }

                ulong tlvType = tlvAttribute.ConstructorArguments.Length == 1 && tlvAttribute.ConstructorArguments[0].Value is ulong t ? t : 0;
                if (tlvNames.TryGetValue(tlvType, out string? other))
                {
                    Report(Descriptors.DuplicateTlvType, AttributeLocation(tlvAttribute) ?? member.Location, member.Name, tlvType, other);
                }
                else
                {
                    tlvNames.Add(tlvType, member.Name);
                }

                WireTypeSpec? value = ResolveMember(member, Context.TlvValue);
                if (value is not null)
                {
                    tlvs.Add(new TlvSpec(member.Name, tlvType, value, member.IsParameter));
                }
            }
            else
            {
                if (firstTlv is not null)
                {
                    Report(Descriptors.FieldAfterTlv, member.Location, member.Name, firstTlv);
                }

                Context context = isSubtype
                    ? (i == lastFixed ? Context.SubtypeLast : Context.SubtypeField)
                    : (i == lastFixed && !hasTlv ? Context.MessageLast : Context.MessageField);
                WireTypeSpec? spec = ResolveMember(member, context);
                if (spec is not null)
                {
                    fields.Add(new FieldSpec(member.Name, spec, member.IsParameter));
                    if (context == Context.MessageLast)
                    {
                        readsToEnd = spec.Length == LengthKind.Rest
                            || (spec.Kind == WireKind.Subtype && member.Type is INamedTypeSymbol subtype && IsOpenEnded(subtype, 0));
                    }
                }
            }
        }

        if (!isMessage && !isSubtype)
        {
            return null;
        }

        return new MessageSpec(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            Keyword(type),
            type.IsValueType,
            type.IsSealed,
            new EquatableArray<ContainingTypeSpec>(containing.ToArray()),
            isMessage && !isSubtype ? messageType!.Value.Type : -1,
            new EquatableArray<FieldSpec>(fields.ToArray()),
            new EquatableArray<TlvSpec>(tlvs.OrderBy(t => t.TlvType).ToArray()),
            // Every message may be extended by a TLV stream (BOLT #1), unless its last field reads to the end.
            isMessage && (hasTlv || !readsToEnd),
            type.GetMembers("Type").Length > 0,
            HasUserEquality(type),
            PrintedMembers(type, onlyForArrays: !isMessage || isSubtype),
            new EquatableArray<string>(parameters.ToArray()),
            members.Count != all.Count);
    }

    /// <summary>An attribute's name as written, without the <c>Attribute</c> suffix.</summary>
    private static string ShortName(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "?";
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    /// <summary>
    /// The members a generated <c>PrintMembers</c> prints, the way the compiler picks them (public instance
    /// fields and readable non-indexer properties, declaration order) minus the generated ones; null when the
    /// compiler's own must stay: the user wrote one, or the record derives from another record.
    /// </summary>
    private static EquatableArray<PrintedMember>? PrintedMembers(INamedTypeSymbol type, bool onlyForArrays)
    {
        if (type.BaseType is { SpecialType: not (SpecialType.System_Object or SpecialType.System_ValueType) }
            || type.GetMembers("PrintMembers").Any(m => !m.IsImplicitlyDeclared && !IsGenerated(m)))
        {
            return null;
        }

        var names = new List<PrintedMember>();
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || IsGenerated(member)
                || member.Name is "MessageType" or "UnknownTlvs")
            {
                continue;
            }

            ITypeSymbol? memberType = member switch
            {
                IPropertySymbol p when !p.IsIndexer && !p.IsOverride && p.GetMethod is not null => p.Type,
                IFieldSymbol f when !f.IsConst && !f.IsImplicitlyDeclared => f.Type,
                _ => null,
            };
            if (memberType is not null)
            {
                PrintKind kind = memberType is IArrayTypeSymbol { Rank: 1 } array
                    ? (array.ElementType.SpecialType == SpecialType.System_Byte ? PrintKind.Bytes : PrintKind.Sequence)
                    : PrintKind.Value;
                names.Add(new PrintedMember(member.Name, kind));
            }
        }

        // A subtype's compiler-written PrintMembers is right unless it has arrays to print.
        return onlyForArrays && names.All(n => n.Kind == PrintKind.Value) ? null : new EquatableArray<PrintedMember>(names.ToArray());
    }

    private static bool IsGenerated(ISymbol member) =>
        member.DeclaringSyntaxReferences.Length > 0
        && member.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(".g.cs", System.StringComparison.OrdinalIgnoreCase));

    private static readonly string[] MessageMemberNames =
        ["MessageType", "UnknownTlvs", "GetEncodedLength", "WriteTo", "ToArray", "TryRead", "Read", "__TryReadFull", "__WriteToFull"];

    private static readonly string[] SubtypeMemberNames = ["GetWireLength", "WriteTo", "TryReadFrom"];

    /// <summary>Members the user declared with a name that the generated part also declares.</summary>
    private void CheckReservedNames(INamedTypeSymbol type, bool isSubtype, string display)
    {
        foreach (string name in isSubtype ? SubtypeMemberNames : MessageMemberNames)
        {
            foreach (ISymbol member in type.GetMembers(name))
            {
                // Skip the generated part itself, which the analyzer sees in its compilation.
                if (member.IsImplicitlyDeclared
                    || member.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(".g.cs", System.StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                Report(Descriptors.ReservedMemberName, member.Locations.FirstOrDefault(), display, name);
            }
        }
    }

    private static bool HasUserEquality(INamedTypeSymbol type) =>
        type.GetMembers("Equals").OfType<IMethodSymbol>().Any(m =>
            !m.IsImplicitlyDeclared && m.Parameters.Length == 1
            && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), type))
        || type.GetMembers("GetHashCode").OfType<IMethodSymbol>().Any(m => !m.IsImplicitlyDeclared && m.Parameters.Length == 0);

    private void CheckMessageTypeNumber(INamedTypeSymbol type)
    {
        if (GetMessageType(type) is not { } declared)
        {
            return;
        }

        string display = type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        Location location = GetMessageTypeLocation(type, declared.Attribute, _cancellationToken);
        int n = declared.Type;
        bool Named(string name) => declared.Attribute.NamedArguments.Any(a => a.Key == name && a.Value.Value is true);

        if (ReservedTypes.FindProtocolType(n) is { } protocol)
        {
            Report(Descriptors.ReservedType, location, display, n, protocol.Name, protocol.Source);
            return;
        }

        if (n < 32768)
        {
            Report(Descriptors.BelowCustomRange, location, display, n);
        }

        if (ReservedTypes.FindBlipType(n) is { } blip && !Named("ImplementsRegisteredProtocol"))
        {
            Report(Descriptors.BlipRegisteredType, location, display, n, blip.Name, blip.Source);
        }

        if (n % 2 == 0 && !Named("AllowEven"))
        {
            Report(Descriptors.EvenType, location, display, n);
        }
    }

    private Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken).GetLocation();

    private Location? AttributeArgumentLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) is AttributeSyntax { ArgumentList.Arguments: { Count: > 0 } args }
            ? args[0].GetLocation()
            : AttributeLocation(attribute);

    private enum Context
    {
        MessageField,
        MessageLast,
        SubtypeField,
        SubtypeLast,
        TlvValue,
        ArrayElement,
    }

    private sealed class Member
    {
        public Member(string name, ITypeSymbol type, bool isParameter, ImmutableArray<AttributeData> attributes, Location location)
        {
            Name = name;
            Type = type;
            IsParameter = isParameter;
            Attributes = attributes;
            Location = location;
            Tlv = attributes.FirstOrDefault(a => KnownTypes.Is(a, KnownTypes.Tlv));
            IsIgnored = attributes.Any(a => KnownTypes.Is(a, KnownTypes.WireIgnore));
        }

        /// <summary>Marked <c>[WireIgnore]</c>: not on the wire.</summary>
        public bool IsIgnored { get; }

        public string Name { get; }

        public ITypeSymbol Type { get; }

        public bool IsParameter { get; }

        public ImmutableArray<AttributeData> Attributes { get; }

        public Location Location { get; }

        public AttributeData? Tlv { get; }

        public AttributeData? Find(string name) => Attributes.FirstOrDefault(a => KnownTypes.Is(a, name));
    }

    /// <summary>The wire members of a record: positional parameters, then settable instance properties, in declaration order.</summary>
    private static List<Member> CollectMembers(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var members = new List<Member>();
        var parameterNames = new HashSet<string>();
        IMethodSymbol? primary = type.InstanceConstructors.FirstOrDefault(c =>
            c.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is RecordDeclarationSyntax));
        if (primary is not null)
        {
            foreach (IParameterSymbol parameter in primary.Parameters)
            {
                ImmutableArray<AttributeData> attributes = parameter.GetAttributes();
                if (type.GetMembers(parameter.Name).OfType<IPropertySymbol>().FirstOrDefault() is { } property)
                {
                    attributes = attributes.AddRange(property.GetAttributes());
                }

                parameterNames.Add(parameter.Name);
                members.Add(new Member(parameter.Name, parameter.Type, true, attributes, parameter.Locations.FirstOrDefault() ?? Location.None));
            }
        }

        foreach (ISymbol symbol in type.GetMembers())
        {
            if (symbol is IPropertySymbol { IsStatic: false, IsIndexer: false, IsImplicitlyDeclared: false, SetMethod: not null } property
                && !parameterNames.Contains(property.Name)
                && property.DeclaringSyntaxReferences.Length > 0
                && !property.GetAttributes().Any(a => a.AttributeClass?.Name == "GeneratedCodeAttribute"))
            {
                members.Add(new Member(property.Name, property.Type, false, property.GetAttributes(), property.Locations.FirstOrDefault() ?? Location.None));
            }
        }

        return members;
    }

    private WireTypeSpec? ResolveMember(Member member, Context context)
    {
        ITypeSymbol type = member.Type;
        if (context == Context.TlvValue)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }
            else if (type.IsValueType || type.NullableAnnotation == NullableAnnotation.NotAnnotated)
            {
                Report(Descriptors.TlvNotNullable, member.Location, member.Name);
                return null;
            }
            else
            {
                type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            }
        }
        else if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } || type.NullableAnnotation == NullableAnnotation.Annotated)
        {
            Report(Descriptors.NullableNotTlv, member.Location, member.Name, type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
            return null;
        }

        return Resolve(member, type, context, member.Find(KnownTypes.Truncated), member.Find(KnownTypes.BigSize),
            member.Find(KnownTypes.LengthPrefixed), member.Find(KnownTypes.FixedLength), member.Find(KnownTypes.RestOfMessage));
    }

    private WireTypeSpec? Resolve(Member member, ITypeSymbol type, Context context, AttributeData? truncated, AttributeData? bigSize,
        AttributeData? prefixed, AttributeData? fixedLength, AttributeData? rest)
    {
        string clr = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string typeDisplay = type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        bool invalid = false;
        void Invalid(AttributeData attribute)
        {
            invalid = true;
            Report(Descriptors.InvalidEncodingAttribute, AttributeLocation(attribute) ?? member.Location, member.Name, ShortName(attribute), typeDisplay);
        }

        WireKind? kind = null;
        bool isEnum = false;
        WireTypeSpec? element = null;
        SpecialType special = type.SpecialType;
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            isEnum = true;
            special = underlying.SpecialType;
        }

        switch (special)
        {
            case SpecialType.System_Byte: kind = WireKind.Byte; break;
            case SpecialType.System_Boolean when !isEnum: kind = WireKind.Bool; break;
            case SpecialType.System_SByte: kind = WireKind.S8; break;
            case SpecialType.System_Int16: kind = WireKind.S16; break;
            case SpecialType.System_UInt16: kind = WireKind.U16; break;
            case SpecialType.System_Int32: kind = WireKind.S32; break;
            case SpecialType.System_UInt32: kind = WireKind.U32; break;
            case SpecialType.System_Int64: kind = WireKind.S64; break;
            case SpecialType.System_UInt64: kind = WireKind.U64; break;
            case SpecialType.System_String when !isEnum: kind = WireKind.Utf8; break;
        }

        if (kind is null)
        {
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                if (array.ElementType.SpecialType == SpecialType.System_Byte)
                {
                    kind = WireKind.Bytes;
                }
                else if (array.ElementType.SpecialType == SpecialType.System_String || array.ElementType is IArrayTypeSymbol)
                {
                    // string[], byte[][]: BOLT #1 has no per-element length; a subtype gives each one.
                    Report(Descriptors.ArrayOfVariableSize, member.Location, member.Name,
                        array.ElementType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
                    return null;
                }
                else
                {
                    element = Resolve(member, array.ElementType, Context.ArrayElement, null, null, null, null, null);
                    if (element is null)
                    {
                        return null;
                    }

                    kind = WireKind.Array;
                }
            }
            else if (type is INamedTypeSymbol named)
            {
                kind = KnownTypes.MetadataName(named) switch
                {
                    "NBitcoin.uint256" => WireKind.Sha256,
                    "NBitcoin.PubKey" => WireKind.Point,
                    "Cln.ProtocolExtensions.Wire.ShortChannelId" => WireKind.ShortChannelId,
                    "Cln.ProtocolExtensions.Wire.ChannelId" => WireKind.ChannelId,
                    "Cln.ProtocolExtensions.Wire.CompactEcdsaSignature" => WireKind.Signature,
                    "Cln.ProtocolExtensions.Wire.Bip340Signature" => WireKind.Bip340Signature,
                    "Cln.ProtocolExtensions.Wire.SciddirOrPubKey" => WireKind.SciddirOrPubKey,
                    _ => KnownTypes.IsWireSubtype(named) ? WireKind.Subtype : null,
                };
                if (kind is null && named.IsRecord)
                {
                    Report(Descriptors.RecordNotSubtype, member.Location, member.Name, typeDisplay);
                    return null;
                }

                if (kind == WireKind.Subtype && !IsValidSubtype(named))
                {
                    // No diagnostic here: the subtype reports its own.
                    _hasErrors = true;
                    return null;
                }
            }
        }

        if (kind is null)
        {
            Report(Descriptors.UnsupportedMemberType, member.Location, member.Name, typeDisplay);
            return null;
        }

        WireKind k = kind.Value;
        bool integer = !isEnum && k is WireKind.U16 or WireKind.U32 or WireKind.U64;
        if (truncated is not null)
        {
            if (!integer)
            {
                Invalid(truncated);
            }
            else if (context is not (Context.TlvValue or Context.SubtypeLast))
            {
                invalid = true;
                Report(Descriptors.MisplacedTruncated, member.Location, member.Name);
            }
            else
            {
                k = k switch { WireKind.U16 => WireKind.TU16, WireKind.U32 => WireKind.TU32, _ => WireKind.TU64 };
            }
        }

        if (bigSize is not null)
        {
            if (isEnum || kind != WireKind.U64 || truncated is not null)
            {
                Invalid(bigSize);
            }
            else
            {
                k = WireKind.BigSize;
            }
        }

        bool variable = k is WireKind.Bytes or WireKind.Utf8 or WireKind.Array;
        LengthKind length = LengthKind.None;
        int fixedCount = 0;
        foreach (AttributeData? rule in new[] { prefixed, fixedLength, rest })
        {
            if (rule is null)
            {
                continue;
            }

            if (!variable || length != LengthKind.None)
            {
                Invalid(rule);
                continue;
            }

            if (rule == prefixed)
            {
                length = rule.ConstructorArguments.Length == 1 && rule.ConstructorArguments[0].Value is int p
                    ? p switch { 1 => LengthKind.PrefixU8, 2 => LengthKind.PrefixBigSize, _ => LengthKind.PrefixU16 }
                    : LengthKind.PrefixU16;
            }
            else if (rule == fixedLength)
            {
                if (rule.ConstructorArguments.Length == 1 && rule.ConstructorArguments[0].Value is int n)
                {
                    if (n >= 1)
                    {
                        length = LengthKind.Fixed;
                        fixedCount = n;
                    }
                    else
                    {
                        invalid = true;
                        Report(Descriptors.FixedLengthTooSmall, AttributeArgumentLocation(rule) ?? member.Location, member.Name, n);
                    }
                }
                else
                {
                    Invalid(rule);
                }
            }
            else
            {
                length = LengthKind.Rest;
            }
        }

        if (invalid)
        {
            return null;
        }

        if (variable && length == LengthKind.None)
        {
            if (context == Context.TlvValue)
            {
                length = LengthKind.Rest;
            }
            else
            {
                Report(Descriptors.MissingLengthRule, member.Location, member.Name);
                return null;
            }
        }

        bool openEnded = length == LengthKind.Rest
            || (k == WireKind.Subtype && IsOpenEnded((INamedTypeSymbol)type, 0));
        if (openEnded && context is not (Context.TlvValue or Context.SubtypeLast or Context.MessageLast))
        {
            Report(Descriptors.MisplacedRestOfMessage, member.Location, member.Name);
            return null;
        }

        MessageSpec? layout = k == WireKind.Subtype ? FixedLayoutOf((INamedTypeSymbol)type) : null;
        return new WireTypeSpec(k, clr, isEnum, length, fixedCount, element, layout, type.IsReferenceType);
    }

    /// <summary>
    /// True when a subtype's last field reads to the end of its reader (rest-of-message bytes, a
    /// truncated integer, or another such subtype), so the subtype can only be the last value.
    /// </summary>
    private bool IsOpenEnded(INamedTypeSymbol subtype, int depth)
    {
        if (depth > MaxSubtypeDepth)
        {
            return false;
        }

        List<Member> members = CollectMembers(subtype, _cancellationToken).Where(m => !m.IsIgnored).ToList();
        if (members.Count == 0)
        {
            return false;
        }

        Member last = members[members.Count - 1];
        if (last.Find(KnownTypes.Truncated) is not null || last.Find(KnownTypes.RestOfMessage) is not null)
        {
            return true;
        }

        return last.Type is INamedTypeSymbol named && !SymbolEqualityComparer.Default.Equals(named, subtype)
            && KnownTypes.IsWireSubtype(named) && IsOpenEnded(named, depth + 1);
    }
}
