namespace Cln.ProtocolExtensions.Plugin;

/// <summary>Where a plugin's feature bits are advertised (the keys of the manifest's <c>featurebits</c>).</summary>
public enum FeatureBitsKind
{
    /// <summary><c>init</c>: the init message to peers.</summary>
    Init,

    /// <summary><c>node</c>: the node announcement.</summary>
    Node,

    /// <summary><c>channel</c>: channel announcements.</summary>
    Channel,

    /// <summary><c>invoice</c>: BOLT 11 invoices.</summary>
    Invoice,

    /// <summary><c>bolt12_offer</c>.</summary>
    Bolt12Offer,

    /// <summary><c>bolt12_invreq</c>.</summary>
    Bolt12InvoiceRequest,

    /// <summary><c>bolt12_invoice</c>.</summary>
    Bolt12Invoice,

    /// <summary><c>channel_type</c>.</summary>
    ChannelType,
}
