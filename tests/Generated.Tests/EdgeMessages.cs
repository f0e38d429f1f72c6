// Messages used only by this project's tests. Kept apart from Messages.cs and Bolt1Messages.cs,
// which tests/Hostile.Tests compiles too and covers message by message.

namespace Cln.ProtocolExtensions.Generated.Tests.Bolt1
{
    #pragma warning disable CLNX3001

    /// <summary>BOLT #1 <c>peer_storage</c> (type 7), which Core Lightning's chanbackup plugin sends on connect.</summary>
    [CustomMessage(7)]
    public partial record PeerStorage([LengthPrefixed] byte[] Blob);

    #pragma warning restore CLNX3001
}

namespace Cln.ProtocolExtensions.Generated.Tests.Edge
{
    /// <summary>Declares its own equality (by Id only): the generator keeps it.</summary>
    [CustomMessage(0x8035)]
    public partial record OwnEquality(uint Id, [LengthPrefixed] byte[] Data)
    {
        public virtual bool Equals(OwnEquality? other) => other is not null && other.Id == Id;

        public override int GetHashCode() => (int)Id;
    }
}
