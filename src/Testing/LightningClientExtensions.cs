using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>
/// What plugin tests add to the SDK's <see cref="ILightningClient"/> (<see cref="SimulatedNode.Rpc"/>):
/// calls written as on lightning-cli's command line, so a test exercises the very params a user sends,
/// and sending a generated message as is.
/// </summary>
public static class LightningClientExtensions
{
    /// <summary>
    /// Calls <paramref name="method"/> as <c>lightning-cli METHOD ARG...</c> does: each argument is sent as
    /// JSON when it reads as a literal (digits with an optional dot but no leading zero, <c>true</c>,
    /// <c>false</c>, <c>null</c>, or text in <c>[]</c>, <c>{}</c> or quotes) and as a string otherwise
    /// (so <c>3</c> is the number 3, <c>007</c> and <c>02ab..</c> are strings). As lightning-cli, the
    /// arguments are named when the first one contains <c>=</c> (<c>peer=02ab..</c>), else positional.
    /// </summary>
    /// <param name="client">The node's client.</param>
    /// <param name="method">The method.</param>
    /// <param name="arguments">The arguments as typed on the command line.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument reads as a literal but is not valid JSON (lightning-cli refuses it too), or a named argument has no <c>=</c>.</exception>
    /// <exception cref="ClnRpcException">The node answered with an error.</exception>
    public static Task<JsonElement> CallCliAsync(this ILightningClient client, string method, params string[] arguments) =>
        client.CallCliAsync(method, arguments, CancellationToken.None);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli METHOD ARG...</c> does; see <see cref="CallCliAsync(ILightningClient, string, string[])"/>.</summary>
    /// <param name="client">The node's client.</param>
    /// <param name="method">The method.</param>
    /// <param name="arguments">The arguments as typed on the command line.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument reads as a literal but is not valid JSON, or a named argument has no <c>=</c>.</exception>
    /// <exception cref="ClnRpcException">The node answered with an error.</exception>
    public static Task<JsonElement> CallCliAsync(this ILightningClient client, string method, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        SendAsync(client, method, CliParameters(arguments, CliInput.Default), cancellationToken);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli -k METHOD key=value...</c> does: by name, values typed as in <see cref="CallCliAsync(ILightningClient, string, string[])"/>.</summary>
    /// <param name="client">The node's client.</param>
    /// <param name="method">The method.</param>
    /// <param name="keyValuePairs">The arguments, each <c>name=value</c>.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument has no <c>=</c> ("Expected key=value"), or its value reads as a literal but is not valid JSON.</exception>
    /// <exception cref="ClnRpcException">The node answered with an error.</exception>
    public static Task<JsonElement> CallCliByNameAsync(this ILightningClient client, string method, params string[] keyValuePairs) =>
        client.CallCliByNameAsync(method, keyValuePairs, CancellationToken.None);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli -k METHOD key=value...</c> does; see <see cref="CallCliByNameAsync(ILightningClient, string, string[])"/>.</summary>
    /// <param name="client">The node's client.</param>
    /// <param name="method">The method.</param>
    /// <param name="keyValuePairs">The arguments, each <c>name=value</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument has no <c>=</c>, or its value reads as a literal but is not valid JSON.</exception>
    /// <exception cref="ClnRpcException">The node answered with an error.</exception>
    public static Task<JsonElement> CallCliByNameAsync(this ILightningClient client, string method, IReadOnlyList<string> keyValuePairs, CancellationToken cancellationToken) =>
        SendAsync(client, method, CliParameters(keyValuePairs, CliInput.Keywords), cancellationToken);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli -o METHOD ARG...</c> does: positional, values typed as in <see cref="CallCliAsync(ILightningClient, string, string[])"/>, even when an argument contains <c>=</c>.</summary>
    /// <param name="client">The node's client.</param>
    /// <param name="method">The method.</param>
    /// <param name="arguments">The arguments as typed on the command line.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument reads as a literal but is not valid JSON.</exception>
    /// <exception cref="ClnRpcException">The node answered with an error.</exception>
    public static Task<JsonElement> CallCliPositionalAsync(this ILightningClient client, string method, params string[] arguments) =>
        SendAsync(client, method, CliParameters(arguments, CliInput.Ordered), CancellationToken.None);

    /// <summary>
    /// Calls <c>sendcustommsg</c> with a generated message, encoded with its type. Unlike
    /// <see cref="ICustomMessageSender.SendAsync{TMessage}(PubKey, TMessage, CancellationToken)"/>, the
    /// message's static type need not be known.
    /// </summary>
    /// <param name="client">The node's client.</param>
    /// <param name="peerId">The connected peer.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>lightningd's status text.</returns>
    /// <exception cref="ClnRpcException">The node refused it (internal type, unknown peer, ...).</exception>
    public static Task<string> SendCustomMessageAsync(this ILightningClient client, PubKey peerId, ICustomMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(message);
        return client.SendCustomMessageAsync(peerId, Wire.WireMessage.ToArray(message), cancellationToken);
    }

    /// <summary>How lightning-cli reads its arguments (cli/lightning-cli.c <c>enum input</c>).</summary>
    internal enum CliInput
    {
        /// <summary>Named if the first argument contains <c>=</c>, else positional.</summary>
        Default,

        /// <summary><c>-k</c>: named.</summary>
        Keywords,

        /// <summary><c>-o</c>: positional.</summary>
        Ordered,
    }

    private static Task<JsonElement> SendAsync(ILightningClient client, string method, JsonNode parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return parameters is JsonArray array
            ? client.CallPositionalAsync(method, array, cancellationToken)
            : client.CallAsync(method, (JsonObject)parameters, cancellationToken);
    }

    /// <summary>The <c>params</c> lightning-cli sends for these arguments (cli/lightning-cli.c, v26.06).</summary>
    internal static JsonNode CliParameters(IReadOnlyList<string> arguments, CliInput input)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (input == CliInput.Default)
        {
            input = arguments.Count > 0 && arguments[0].Contains('=', StringComparison.Ordinal) ? CliInput.Keywords : CliInput.Ordered;
        }

        if (input == CliInput.Ordered)
        {
            var array = new JsonArray();
            foreach (var argument in arguments)
            {
                array.Add(CliValue(argument));
            }

            return array;
        }

        var named = new JsonObject();
        foreach (var argument in arguments)
        {
            int eq = argument.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new ArgumentException($"Expected key=value in '{argument}'", nameof(arguments));
            }

            named[argument[..eq]] = CliValue(argument[(eq + 1)..]);
        }

        return named;
    }

    /// <summary>One argument as lightning-cli's <c>add_input</c> writes it: a literal as is, anything else as a JSON string.</summary>
    private static JsonNode? CliValue(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (!IsCliLiteral(argument))
        {
            return JsonValue.Create(argument);
        }

        try
        {
            return JsonNode.Parse(argument);
        }
        catch (JsonException)
        {
            throw new ArgumentException($"Some parameters are malformed, cannot create a valid JSON-RPC request: {argument}", nameof(argument));
        }
    }

    /// <summary>lightning-cli's <c>is_literal</c>.</summary>
    private static bool IsCliLiteral(string argument)
    {
        if (argument.Length == 0)
        {
            return false;
        }

        // Digits with a leading zero are not a number (they may be hex), except "0" itself.
        bool allDigits = argument.All(char.IsAsciiDigit);
        if (allDigits && argument.Length > 1 && argument[0] == '0')
        {
            return false;
        }

        return argument.All(c => char.IsAsciiDigit(c) || c == '.')
            || argument is "true" or "false" or "null"
            || (argument[0] == '{' && argument[^1] == '}')
            || (argument[0] == '[' && argument[^1] == ']')
            || (argument[0] == '"' && argument[^1] == '"');
    }
}
