using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators;

/// <summary>Turns <c>[CustomMessage]</c> records into BOLT #1 serializers and a message registry.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class MessageGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
