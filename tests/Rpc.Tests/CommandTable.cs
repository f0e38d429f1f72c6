using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using NBitcoin;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>
/// What each typed method of <see cref="ILightningClient"/> sends: every method that takes a request
/// model is called on a client that only records the command name and the metadata it was given.
/// So the tests learn the command behind each method from the method itself, not from the
/// generator's naming rules.
/// </summary>
internal static class CommandTable
{
    public static IReadOnlyDictionary<string, Entry> ByCommand { get; } = Build();

    internal sealed record Entry(string Command, MethodInfo Method, JsonTypeInfo Request, JsonTypeInfo Response);

    private static Dictionary<string, Entry> Build()
    {
        var result = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var client = new RecordingClient();
        foreach (var method in typeof(ILightningClient).GetMethods())
        {
            var parameters = method.GetParameters();
            if (parameters.Length != 2 || parameters[1].ParameterType != typeof(CancellationToken) ||
                parameters[0].ParameterType.Namespace != "Cln.ProtocolExtensions.Rpc.Models")
            {
                continue;
            }

            var request = RuntimeHelpers.GetUninitializedObject(parameters[0].ParameterType);
            method.Invoke(client, [request, CancellationToken.None]);
            var (command, requestInfo, responseInfo) = client.Last!.Value;
            if (!result.TryAdd(command, new Entry(command, method, requestInfo, responseInfo)))
            {
                throw new InvalidOperationException($"Two methods call '{command}': {result[command].Method.Name} and {method.Name}.");
            }
        }

        return result;
    }

    private sealed class RecordingClient : ILightningClient
    {
        public (string, JsonTypeInfo, JsonTypeInfo)? Last { get; private set; }

        public Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, JsonTypeInfo<TRequest> requestTypeInfo, JsonTypeInfo<TResponse> responseTypeInfo, CancellationToken cancellationToken = default)
        {
            Last = (method, requestTypeInfo, responseTypeInfo);
            return Task.FromResult(default(TResponse)!);
        }

        public Task<string> SendCustomMessageAsync(PubKey peerId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<JsonElement> CallAsync(string method, JsonObject? parameters = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<JsonElement> CallPositionalAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
