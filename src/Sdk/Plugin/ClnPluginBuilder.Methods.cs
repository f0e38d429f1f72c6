using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cln.ProtocolExtensions.Plugin;

public sealed partial class ClnPluginBuilder
{
    /// <summary>
    /// Adds the RPC methods of a class marked <see cref="RpcMethodsAttribute"/> (its binder is
    /// source-generated). The class is registered as scoped unless already registered, so each call
    /// gets an instance from dependency injection. Turns on <see cref="CanCheck"/>:
    /// <c>lightning-cli check &lt;method&gt; ...</c> then validates the parameters without running the method.
    /// </summary>
    /// <typeparam name="T">The class of RPC methods.</typeparam>
    /// <exception cref="ArgumentException">A method's name is reserved or already added.</exception>
    public ClnPluginBuilder AddMethods<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>()
        where T : class, IRpcMethods
    {
        Services.TryAddScoped<T>();
        CanCheck = true;
        T.AddMethods(this);
        return this;
    }
}
