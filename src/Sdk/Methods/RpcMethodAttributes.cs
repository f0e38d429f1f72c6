namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// Marks a <c>partial class</c> whose <see cref="RpcMethodAttribute"/> methods become the plugin's RPC
/// methods. The source generator makes the class implement <see cref="IRpcMethods"/>; register it with
/// <see cref="ClnPluginBuilder.AddMethods{T}"/>. Instance methods run on an instance resolved from
/// dependency injection (scoped to the call), so the constructor can take services.
/// </summary>
/// <remarks>
/// Results are serialized with System.Text.Json source generation. The source generator cannot see
/// another generator's output, so name your <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>
/// here and list each result type on it with <c>[JsonSerializable(typeof(...))]</c>; the analyzer
/// reports a result type the context does not list (CLNX4009). Methods that return nothing,
/// <see cref="System.Text.Json.Nodes.JsonNode"/> or <see cref="System.Text.Json.JsonElement"/> need no context.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class RpcMethodsAttribute : Attribute
{
    /// <summary>Marks a class of RPC methods whose results need no serializer context.</summary>
    public RpcMethodsAttribute()
    {
    }

    /// <summary>Marks a class of RPC methods whose results are serialized with <paramref name="jsonContext"/>.</summary>
    /// <param name="jsonContext">A <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> that lists every result type.</param>
    public RpcMethodsAttribute(Type jsonContext) => JsonContext = jsonContext;

    /// <summary>The serializer context for results, or <see langword="null"/>.</summary>
    public Type? JsonContext { get; }
}

/// <summary>
/// Declares a method of an <see cref="RpcMethodsAttribute"/> class as an RPC method that lightningd
/// adds to its own (<c>lightning-cli &lt;name&gt; ...</c>). Parameters bind from the call's params, by
/// position or by name (the snake_case of the C# name, or <see cref="RpcParameterAttribute"/>); a
/// nullable or defaulted parameter is optional. <see cref="CancellationToken"/>,
/// <see cref="PluginRequestContext"/>, interfaces and <see cref="FromServicesAttribute"/> parameters are
/// injected. The usage (<c>peer [count]</c>) comes from the parameters and the description from the
/// method's XML <c>&lt;summary&gt;</c> unless <see cref="Description"/> is set.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class RpcMethodAttribute : Attribute
{
    /// <summary>Declares the method.</summary>
    /// <param name="name">The command name: lowercase letters, digits, <c>_</c> and <c>-</c>, not one of lightningd's.</param>
    public RpcMethodAttribute(string name) => Name = name;

    /// <summary>The command name.</summary>
    public string Name { get; }

    /// <summary>The description for the manifest; defaults to the method's XML doc summary.</summary>
    public string? Description { get; set; }

    /// <summary>Whether lightningd should list the method as deprecated.</summary>
    public bool Deprecated { get; set; }
}

/// <summary>Names the parameter as callers write it (<c>-k name=value</c>), instead of the snake_case of its C# name.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class RpcParameterAttribute : Attribute
{
    /// <summary>Names the parameter.</summary>
    /// <param name="name">The name callers use.</param>
    public RpcParameterAttribute(string name) => Name = name;

    /// <summary>The name callers use.</summary>
    public string Name { get; }
}

/// <summary>
/// Resolves an RPC method's parameter from the call's services instead of binding it from the params.
/// Parameters whose type is an interface (<c>ILogger&lt;T&gt;</c>, <c>ILightningClient</c>,
/// <c>IOptions&lt;T&gt;</c>, ...) are services without it; use it for classes. A nullable parameter
/// gets <see langword="null"/> when the service is not registered.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class FromServicesAttribute : Attribute
{
}

/// <summary>
/// Implemented by the source generator for each <see cref="RpcMethodsAttribute"/> class: adds its
/// methods to a plugin without reflection. Call <see cref="ClnPluginBuilder.AddMethods{T}"/> rather
/// than this.
/// </summary>
public interface IRpcMethods
{
    /// <summary>Adds the class's RPC methods to <paramref name="builder"/>.</summary>
    /// <param name="builder">The plugin builder.</param>
    static abstract void AddMethods(ClnPluginBuilder builder);
}
