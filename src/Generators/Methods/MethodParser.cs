using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Cln.ProtocolExtensions.Generators.Common;
using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cln.ProtocolExtensions.Generators.Methods;

/// <summary>
/// Reads an <c>[RpcMethods]</c> class into the model, and reports what cannot work. Shared by the
/// generator (which emits nothing for a class with an error) and the analyzer (which reports).
/// </summary>
internal static class MethodParser
{
    public const string RpcMethodsAttribute = "Cln.ProtocolExtensions.Plugin.RpcMethodsAttribute";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Names the runtime answers itself: a plugin method by one of them would never be called.</summary>
    private static readonly string[] RuntimeMethods = { "check", "custommsg", "getmanifest", "init", "setconfig" };

    /// <summary>The model of a valid class, or null when anything is wrong with it.</summary>
    public static RpcClassSpec? Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        RpcClassSpec spec = Read(type, diagnostics, cancellationToken);
        return diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : spec;
    }

    /// <summary>Adds the class's problems to <paramref name="diagnostics"/>.</summary>
    public static void Analyze(INamedTypeSymbol type, List<Diagnostic> diagnostics, CancellationToken cancellationToken) =>
        Read(type, diagnostics, cancellationToken);

    /// <summary>True for the <c>Cln.ProtocolExtensions.Plugin</c> attribute (or type) named <paramref name="name"/>.</summary>
    public static bool IsPluginType(ITypeSymbol? type, string name) =>
        type is not null
        && type.Name == name
        && type.ContainingType is null
        && type.ContainingNamespace is { Name: "Plugin", ContainingNamespace: { Name: "ProtocolExtensions", ContainingNamespace: { Name: "Cln", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>The <c>[RpcMethod]</c> attribute of <paramref name="method"/>, if any.</summary>
    public static AttributeData? RpcMethodAttributeOf(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => IsPluginType(a.AttributeClass, "RpcMethodAttribute"));

    /// <summary>The command name of an <c>[RpcMethod]</c>.</summary>
    public static string? RpcName(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;

    /// <summary>Where the command name is written (the attribute argument), for the narrowest span.</summary>
    public static Location NameLocation(AttributeData attribute, ISymbol fallback, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax
            ? syntax.ArgumentList.Arguments[0].GetLocation()
            : fallback.Locations.FirstOrDefault() ?? Location.None;

    /// <summary>lightningd's name for a C# parameter: snake_case (<c>peerId</c> → <c>peer_id</c>).</summary>
    public static string SnakeCase(string name)
    {
        var b = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && name[i - 1] != '_'
                    && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (boundary)
                {
                    b.Append('_');
                }

                b.Append(char.ToLowerInvariant(c));
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    private static RpcClassSpec Read(INamedTypeSymbol type, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        Location classLocation = type.Locations.FirstOrDefault() ?? Location.None;
        bool partial = type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!partial)
        {
            diagnostics.Add(Diagnostic.Create(MethodDescriptors.ClassNotPartial, classLocation, type.Name));
        }

        string? shape = type.IsStatic ? "static"
            : type.IsGenericType ? "generic"
            : type.ContainingType is not null ? "nested in '" + type.ContainingType.Name + "'"
            : null;
        if (shape is not null)
        {
            diagnostics.Add(Diagnostic.Create(MethodDescriptors.ClassShape, classLocation, type.Name, shape));
        }

        AttributeData classAttribute = type.GetAttributes().First(a => IsPluginType(a.AttributeClass, "RpcMethodsAttribute"));
        INamedTypeSymbol? context = null;
        bool contextNamed = false;
        if (classAttribute.ConstructorArguments.Length == 1 && classAttribute.ConstructorArguments[0].Value is INamedTypeSymbol named)
        {
            contextNamed = true;
            if (DerivesFrom(named, "JsonSerializerContext", "System.Text.Json.Serialization"))
            {
                context = named;
            }
            else
            {
                diagnostics.Add(Diagnostic.Create(MethodDescriptors.NotAJsonContext, NameLocation(classAttribute, type, cancellationToken), named.ToDisplayString()));
            }
        }

        HashSet<ITypeSymbol>? contextTypes = null;
        var methods = new List<RpcMethodSpec>();
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && RpcMethodAttributeOf(method) is { } attribute)
            {
                RpcMethodSpec? spec = ReadMethod(type, method, attribute, context, contextNamed, ref contextTypes, diagnostics, cancellationToken);
                if (spec is not null)
                {
                    methods.Add(spec);
                }
            }
        }

        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        return new RpcClassSpec(ns, type.Name, type.IsRecord ? "record" : "class", type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            context?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? string.Empty,
            new EquatableArray<RpcMethodSpec>(methods.ToArray()));
    }

    private static RpcMethodSpec? ReadMethod(
        INamedTypeSymbol type,
        IMethodSymbol method,
        AttributeData attribute,
        INamedTypeSymbol? context,
        bool contextNamed,
        ref HashSet<ITypeSymbol>? contextTypes,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        int before = diagnostics.Count;
        Location methodLocation = method.Locations.FirstOrDefault() ?? Location.None;
        string name = RpcName(attribute) ?? string.Empty;
        Location nameLocation = NameLocation(attribute, method, cancellationToken);
        if (!IsValidName(name))
        {
            diagnostics.Add(Diagnostic.Create(MethodDescriptors.InvalidMethodName, nameLocation, name));
        }
        else if (Array.BinarySearch(LightningdNames.Commands, name, StringComparer.Ordinal) >= 0)
        {
            diagnostics.Add(Diagnostic.Create(MethodDescriptors.MethodNameTaken, nameLocation, name, "a command of lightningd " + LightningdNames.Version));
        }
        else if (Array.IndexOf(RuntimeMethods, name) >= 0)
        {
            diagnostics.Add(Diagnostic.Create(MethodDescriptors.MethodNameTaken, nameLocation, name, "a method of the plugin protocol, which the runtime answers"));
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(Diagnostic.Create(MethodDescriptors.MethodShape, methodLocation, method.Name, "is generic"));
        }

        foreach (IParameterSymbol p in method.Parameters.Where(p => p.RefKind != RefKind.None))
        {
            diagnostics.Add(Diagnostic.Create(MethodDescriptors.MethodShape, ParameterLocation(p, cancellationToken), method.Name, "takes '" + p.Name + "' by reference"));
        }

        var parameters = new List<RpcParameterSpec>();
        var usage = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string? optionalBefore = null;
        foreach (IParameterSymbol p in method.Parameters)
        {
            RpcParameterSpec? spec = ReadParameter(method, p, diagnostics, cancellationToken);
            if (spec is null)
            {
                continue;
            }

            parameters.Add(spec);
            if (spec.Source != RpcParameterSource.Bound)
            {
                continue;
            }

            if (names.TryGetValue(spec.JsonName, out string? other))
            {
                diagnostics.Add(Diagnostic.Create(MethodDescriptors.DuplicateParameterName, ParameterLocation(p, cancellationToken), other, p.Name, method.Name, spec.JsonName));
            }
            else
            {
                names.Add(spec.JsonName, p.Name);
            }

            if (spec.Optional)
            {
                optionalBefore ??= p.Name;
                usage.Add("[" + spec.JsonName + "]");
            }
            else
            {
                if (optionalBefore is not null)
                {
                    diagnostics.Add(Diagnostic.Create(MethodDescriptors.RequiredAfterOptional, ParameterLocation(p, cancellationToken), p.Name, optionalBefore));
                }

                usage.Add(spec.JsonName);
            }
        }

        (RpcReturnShape shape, ITypeSymbol? valueType) = ReturnShape(method);
        RpcResultKind result = RpcResultKind.None;
        if (valueType is not null)
        {
            result = DerivesFrom(valueType, "JsonNode", "System.Text.Json.Nodes") ? RpcResultKind.JsonNode
                : IsType(valueType, "JsonElement", "System.Text.Json") ? RpcResultKind.JsonElement
                : RpcResultKind.Serialized;
            if (result == RpcResultKind.Serialized)
            {
                Location returnLocation = ReturnTypeLocation(method, cancellationToken);
                string display = valueType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                if (context is null)
                {
                    if (!contextNamed)
                    {
                        diagnostics.Add(Diagnostic.Create(MethodDescriptors.ResultNeedsContext, returnLocation, method.Name, display, type.Name));
                    }
                }
                else
                {
                    contextTypes ??= ContextTypes(context);
                    if (!contextTypes.Contains(Unannotated(valueType)))
                    {
                        diagnostics.Add(Diagnostic.Create(MethodDescriptors.ResultNotInContext, returnLocation, method.Name, display, context.Name));
                    }
                }
            }
        }

        if (diagnostics.Count > before)
        {
            return null;
        }

        string? description = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Description").Value.Value as string
            ?? DocSummary.Read(method, cancellationToken);
        bool deprecated = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Deprecated").Value.Value is true;
        return new RpcMethodSpec(
            method.Name,
            name,
            string.Join(" ", usage),
            description,
            deprecated,
            method.IsStatic,
            shape,
            result,
            valueType?.ToDisplayString(TypeFormat) ?? string.Empty,
            new EquatableArray<RpcParameterSpec>(parameters.ToArray()));
    }

    private static RpcParameterSpec? ReadParameter(IMethodSymbol method, IParameterSymbol p, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        ITypeSymbol type = p.Type;
        string typeName = type.ToDisplayString(TypeFormat);
        RpcParameterSpec Injected(RpcParameterSource source) =>
            new(source, string.Empty, typeName, RpcValueKind.JsonElement, false, string.Empty, false, string.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty);

        if (IsType(type, "CancellationToken", "System.Threading"))
        {
            return Injected(RpcParameterSource.CancellationToken);
        }

        if (IsPluginType(type, "PluginRequestContext"))
        {
            return Injected(RpcParameterSource.RequestContext);
        }

        bool nullable = type.NullableAnnotation == NullableAnnotation.Annotated;
        if (p.GetAttributes().Any(a => IsPluginType(a.AttributeClass, "FromServicesAttribute")))
        {
            return Injected(nullable ? RpcParameterSource.OptionalService : RpcParameterSource.Service);
        }

        ITypeSymbol valueType = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : type;
        bool isArray = false;
        ITypeSymbol elementType = valueType;
        RpcValueKind? kind = Kind(valueType);
        if (kind is null && valueType is IArrayTypeSymbol { Rank: 1 } array)
        {
            kind = Kind(array.ElementType);
            isArray = kind is not null;
            elementType = array.ElementType;
        }

        if (kind is null)
        {
            if (type.TypeKind == TypeKind.Interface || (type.IsAbstract && type.TypeKind == TypeKind.Class))
            {
                return Injected(nullable ? RpcParameterSource.OptionalService : RpcParameterSource.Service);
            }

            diagnostics.Add(Diagnostic.Create(MethodDescriptors.UnsupportedParameterType, ParameterTypeLocation(p, cancellationToken), p.Name, method.Name, type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            return null;
        }

        string jsonName = p.GetAttributes().FirstOrDefault(a => IsPluginType(a.AttributeClass, "RpcParameterAttribute")) is { ConstructorArguments.Length: 1 } named && named.ConstructorArguments[0].Value is string explicitName
            ? explicitName
            : SnakeCase(p.Name);
        bool optional = p.HasExplicitDefaultValue || nullable || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
        string defaultValue = p.HasExplicitDefaultValue ? Literal(p.ExplicitDefaultValue, type, valueType) : optional ? "default" : "default!";
        var enumNames = new List<string>();
        var enumMembers = new List<string>();
        if (kind == RpcValueKind.Enum)
        {
            foreach (IFieldSymbol field in elementType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue))
            {
                enumMembers.Add(field.Name);
                enumNames.Add(field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "JsonStringEnumMemberNameAttribute") is { ConstructorArguments.Length: 1 } rename && rename.ConstructorArguments[0].Value is string renamed
                    ? renamed
                    : SnakeCase(field.Name));
            }
        }

        return new RpcParameterSpec(
            RpcParameterSource.Bound,
            jsonName,
            typeName,
            kind.Value,
            isArray,
            elementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            optional,
            defaultValue,
            new EquatableArray<string>(enumNames.ToArray()),
            new EquatableArray<string>(enumMembers.ToArray()));
    }

    private static RpcValueKind? Kind(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String: return RpcValueKind.String;
            case SpecialType.System_Boolean: return RpcValueKind.Boolean;
            case SpecialType.System_SByte: return RpcValueKind.SByte;
            case SpecialType.System_Byte: return RpcValueKind.Byte;
            case SpecialType.System_Int16: return RpcValueKind.Int16;
            case SpecialType.System_UInt16: return RpcValueKind.UInt16;
            case SpecialType.System_Int32: return RpcValueKind.Int32;
            case SpecialType.System_UInt32: return RpcValueKind.UInt32;
            case SpecialType.System_Int64: return RpcValueKind.Int64;
            case SpecialType.System_UInt64: return RpcValueKind.UInt64;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return RpcValueKind.Bytes;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return RpcValueKind.Enum;
        }

        return IsType(type, "PubKey", "NBitcoin") ? RpcValueKind.PubKey
            : IsType(type, "uint256", "NBitcoin") ? RpcValueKind.UInt256
            : IsType(type, "ShortChannelId", "Cln.ProtocolExtensions.Wire") ? RpcValueKind.ShortChannelId
            : IsType(type, "AmountMsat", "Cln.ProtocolExtensions") ? RpcValueKind.AmountMsat
            : IsType(type, "JsonElement", "System.Text.Json") ? RpcValueKind.JsonElement
            : null;
    }

    private static (RpcReturnShape Shape, ITypeSymbol? Value) ReturnShape(IMethodSymbol method)
    {
        ITypeSymbol returns = method.ReturnType;
        if (method.ReturnsVoid)
        {
            return (RpcReturnShape.Void, null);
        }

        if (returns is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            switch (named.MetadataName)
            {
                case "Task": return (RpcReturnShape.Task, null);
                case "ValueTask": return (RpcReturnShape.ValueTask, null);
                case "Task`1": return (RpcReturnShape.TaskOfValue, named.TypeArguments[0]);
                case "ValueTask`1": return (RpcReturnShape.ValueTaskOfValue, named.TypeArguments[0]);
            }
        }

        return (RpcReturnShape.Value, returns);
    }

    /// <summary>Every type the context can serialize: the listed ones and, as System.Text.Json generates them, the types they reach.</summary>
    private static HashSet<ITypeSymbol> ContextTypes(INamedTypeSymbol context)
    {
        var types = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<ITypeSymbol>();
        foreach (AttributeData a in context.GetAttributes())
        {
            if (a.AttributeClass?.Name == "JsonSerializableAttribute" && a.ConstructorArguments.Length >= 1 && a.ConstructorArguments[0].Value is ITypeSymbol listed)
            {
                pending.Push(Unannotated(listed));
            }
        }

        while (pending.Count > 0)
        {
            ITypeSymbol t = pending.Pop();
            if (!types.Add(t) || t.SpecialType != SpecialType.None)
            {
                continue;
            }

            if (t is IArrayTypeSymbol array)
            {
                pending.Push(Unannotated(array.ElementType));
                continue;
            }

            if (t is INamedTypeSymbol named)
            {
                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    pending.Push(Unannotated(argument));
                }

                if (named.ContainingNamespace?.ToDisplayString().StartsWith("System", StringComparison.Ordinal) == true)
                {
                    continue;
                }

                foreach (IPropertySymbol property in named.GetMembers().OfType<IPropertySymbol>().Where(m => !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public))
                {
                    pending.Push(Unannotated(property.Type));
                }
            }
        }

        return types;
    }

    private static ITypeSymbol Unannotated(ITypeSymbol type) =>
        type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : type;

    private static string Literal(object? value, ITypeSymbol type, ITypeSymbol valueType)
    {
        if (value is null)
        {
            return "default";
        }

        string literal = SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
        return value is string or bool ? literal : "(" + valueType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + literal + ")";
    }

    private static bool IsValidName(string name) =>
        name.Length > 0 && name.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'z') or '_' or '-');

    private static bool IsType(ITypeSymbol type, string name, string ns) =>
        type.Name == name && type.ContainingType is null && type.ContainingNamespace?.ToDisplayString() == ns;

    private static bool DerivesFrom(ITypeSymbol type, string name, string ns)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (IsType(t, name, ns))
            {
                return true;
            }
        }

        return false;
    }

    private static Location ParameterLocation(IParameterSymbol p, CancellationToken cancellationToken) =>
        p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is ParameterSyntax syntax
            ? syntax.Identifier.GetLocation()
            : p.Locations.FirstOrDefault() ?? Location.None;

    private static Location ParameterTypeLocation(IParameterSymbol p, CancellationToken cancellationToken) =>
        p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } typeSyntax }
            ? typeSyntax.GetLocation()
            : p.Locations.FirstOrDefault() ?? Location.None;

    private static Location ReturnTypeLocation(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax syntax
            ? syntax.ReturnType.GetLocation()
            : method.Locations.FirstOrDefault() ?? Location.None;
}
