using System.Collections;
using Microsoft.Extensions.DependencyInjection;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// The builder's <c>Services</c> before the host builder exists: registrations (plain
/// <see cref="Add"/>, which is what <c>AddSingleton</c> and the like do) are kept in order and
/// appended to the host's collection when it is created; any other use (reading, <c>TryAdd</c>,
/// removing, inserting) creates the host builder first and then goes to its collection. Whatever
/// the caller observes is therefore what it would see on the host's collection directly: the
/// host's defaults first, then every registration in order.
/// </summary>
internal sealed class DeferredServiceCollection(Func<IServiceCollection> createTarget) : IServiceCollection
{
    private List<ServiceDescriptor>? _pending = [];
    private IServiceCollection? _target;

    /// <summary>The host's collection, created (and given the pending registrations) on first need.</summary>
    private IServiceCollection Target => _target ?? createTarget();

    public int Count => Target.Count;

    public bool IsReadOnly => Target.IsReadOnly;

    public ServiceDescriptor this[int index]
    {
        get => Target[index];
        set => Target[index] = value;
    }

    /// <summary>Called by the builder right after it created the host builder: appends what was registered so far.</summary>
    public void Attach(IServiceCollection target)
    {
        var pending = _pending!;
        _pending = null;
        _target = target;
        foreach (var descriptor in pending)
        {
            target.Add(descriptor);
        }
    }

    public void Add(ServiceDescriptor item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_target is null)
        {
            _pending!.Add(item);
        }
        else
        {
            _target.Add(item);
        }
    }

    public void Clear() => Target.Clear();

    public bool Contains(ServiceDescriptor item) => Target.Contains(item);

    public void CopyTo(ServiceDescriptor[] array, int arrayIndex) => Target.CopyTo(array, arrayIndex);

    public IEnumerator<ServiceDescriptor> GetEnumerator() => Target.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public int IndexOf(ServiceDescriptor item) => Target.IndexOf(item);

    public void Insert(int index, ServiceDescriptor item) => Target.Insert(index, item);

    public bool Remove(ServiceDescriptor item) => Target.Remove(item);

    public void RemoveAt(int index) => Target.RemoveAt(index);
}
