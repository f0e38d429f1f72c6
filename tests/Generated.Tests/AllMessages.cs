using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Cln.ProtocolExtensions.Generated.Tests.Bolt1;
using Cln.ProtocolExtensions.Generated.Tests.Edge;
using Cln.ProtocolExtensions.Generated.Tests.Printing;
using Cln.ProtocolExtensions.Generated.Tests.Rules;
using Deep.Name.Space.Levels;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary>Every message of this assembly, for the tests that decode bytes of unknown type (recorded traffic, mutations).</summary>
internal static class AllMessages
{
    public static readonly CustomMessageDescriptor[] Descriptors =
    [
        Describe<PeerStorage>(),
        Describe<Init>(),
        Describe<Ping>(),
        Describe<AllFixed>(),
        Describe<Collections>(),
        Describe<Extended>(),
        Describe<Outer.Inner.Nested>(),
        Describe<EvenOne>(),
        Describe<Empty>(),
        Describe<BodyOnly>(),
        Describe<N1>(),
        Describe<N2>(),
        Describe<Typed>(),
        Describe<StructWithTlv>(),
        Describe<OwnEquality>(),
        Describe<OwnPrint>(),
        Describe<FixedHops>(),
        Describe<Flags>(),
        Describe<References>(),
    ];

    private static CustomMessageDescriptor Describe<TMessage>()
        where TMessage : ICustomMessage<TMessage> =>
        CustomMessageDescriptor.Create<TMessage>(typeof(TMessage).FullName!);

    public static bool TryGet(ushort type, [NotNullWhen(true)] out CustomMessageDescriptor? descriptor)
    {
        descriptor = Array.Find(Descriptors, d => d.Type == type);
        return descriptor is not null;
    }

    /// <summary>The types of this assembly marked <c>[CustomMessage]</c>, found by reflection (a test-only check of the list above).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Tests run untrimmed; this only checks the hand-written list.")]
    public static IEnumerable<Type> Declared() =>
        typeof(AllMessages).Assembly.GetTypes().Where(t => t.GetCustomAttribute<CustomMessageAttribute>() is not null);
}
