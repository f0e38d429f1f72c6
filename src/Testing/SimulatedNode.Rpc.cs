using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing.Internal;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>The <c>lightning-rpc</c> side of a simulated node.</summary>
public sealed partial class SimulatedNode
{
    private const int InvalidRequest = -32600;
    private const int MethodNotFound = -32601;
    private const int InvalidParams = -32602;
    private const int Lightningd = -1;

    private static readonly HashSet<string> BuiltInMethods =
    [
        "getinfo", "listpeers", "listpeerchannels", "connect", "disconnect", "sendcustommsg", "setconfig",
        "signmessage", "checkmessage", "makesecret", "datastore", "listdatastore", "deldatastore",
    ];

    private readonly ConcurrentDictionary<string, Func<JsonElement, CancellationToken, Task<JsonNode?>>> _userMethods = new();

    /// <summary>
    /// Supplies this node's answer for a command the simulator does not simulate (without one, such a
    /// command fails with <see cref="LightningdSimulator.NotSimulatedErrorCode"/>), or adds a method of
    /// your own. The handler gets the request's <c>params</c> as sent (an object or an array) and returns
    /// the <c>result</c>; throw <see cref="ClnRpcException"/> to answer with that error. Any other
    /// exception answers with <see cref="LightningdSimulator.HandlerFailedErrorCode"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// alice.MapRpcMethod("listfunds", parameters => new JsonObject { ["outputs"] = new JsonArray(), ["channels"] = new JsonArray() });
    /// </code>
    /// </example>
    /// <param name="method">The method name.</param>
    /// <param name="handler">Produces the result.</param>
    /// <exception cref="InvalidOperationException">A built-in or plugin method already has that name.</exception>
    public void MapRpcMethod(string method, Func<JsonElement, CancellationToken, Task<JsonNode?>> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (MethodOwner(method) is { } owner)
            throw new InvalidOperationException($"Method '{method}' is already registered by {owner}.");
        _userMethods[method] = handler;
    }

    /// <summary>Adds a synchronous method to this node's <c>lightning-rpc</c>; see <see cref="MapRpcMethod(string, Func{JsonElement, CancellationToken, Task{JsonNode}})"/>.</summary>
    /// <param name="method">The method name.</param>
    /// <param name="handler">Produces the result.</param>
    public void MapRpcMethod(string method, Func<JsonElement, JsonNode?> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        MapRpcMethod(method, (p, _) => Task.FromResult(handler(p)));
    }

    /// <summary>Answers one request read from the socket (lightningd/jsonrpc.c <c>parse_request</c>).</summary>
    private async Task<byte[]> HandleRpcAsync(byte[] raw, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(raw);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return LightningdJson.Error("null", InvalidRequest, "Expected {} for json command");
        if (!root.TryGetProperty("id", out var idTok))
            return LightningdJson.Error("null", InvalidRequest, "No id");
        if (idTok.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            return LightningdJson.Error("null", InvalidRequest, "Expected string/primitive for id");
        if (!root.TryGetProperty("jsonrpc", out var rpcTok) || rpcTok.ValueKind != JsonValueKind.String || rpcTok.GetString() != "2.0")
            return LightningdJson.Error("null", InvalidRequest, "jsonrpc: \"2.0\" must be specified in the request");

        string rawId = idTok.GetRawText();
        bool hasMethod = root.TryGetProperty("method", out var methodTok);
        if (!hasMethod || !root.TryGetProperty("params", out var paramsTok))
            return LightningdJson.Error(rawId, InvalidRequest, hasMethod ? "No params" : "No method");
        if (methodTok.ValueKind != JsonValueKind.String)
            return LightningdJson.Error(rawId, InvalidRequest, "Expected string for method");

        string method = methodTok.GetString()!;
        try
        {
            switch (method)
            {
                case "getinfo": return GetInfo(rawId, paramsTok);
                case "listpeers": return ListPeers(rawId, paramsTok);
                case "listpeerchannels": return ListPeerChannels(rawId, paramsTok);
                case "connect": return await ConnectAsync(rawId, paramsTok).ConfigureAwait(false);
                case "disconnect": return await DisconnectAsync(rawId, paramsTok).ConfigureAwait(false);
                case "sendcustommsg": return SendCustomMsg(rawId, idTok, paramsTok);
                case "setconfig": return await SetConfigAsync(rawId, idTok, paramsTok).ConfigureAwait(false);
                case "signmessage": return SignMessage(rawId, paramsTok);
                case "checkmessage": return CheckMessage(rawId, paramsTok);
                case "makesecret": return MakeSecret(rawId, paramsTok);
                case "datastore": return DatastorePut(rawId, paramsTok);
                case "listdatastore": return DatastoreList(rawId, paramsTok);
                case "deldatastore": return DatastoreDelete(rawId, paramsTok);
                case "check": return await CheckAsync(rawId, root, paramsTok).ConfigureAwait(false);
                case "help": return Help(rawId, paramsTok);
            }

            if (_userMethods.TryGetValue(method, out var handler))
                return await CallUserMethodAsync(rawId, method, handler, paramsTok, cancellationToken).ConfigureAwait(false);

            SimulatedPlugin? owner;
            lock (_gate)
                owner = _plugins.FirstOrDefault(p => p.IsRunning && p.Manifest!.RpcMethods.Any(m => m.Name == method));
            if (owner is not null)
                return await PassThroughAsync(owner, root, rawId, method, paramsTok).ConfigureAwait(false);

            if (Array.BinarySearch(LightningdNames.Commands, method, StringComparer.Ordinal) >= 0)
                return LightningdJson.Error(rawId, LightningdSimulator.NotSimulatedErrorCode, NotSimulatedMessage(method));
            return LightningdJson.Error(rawId, MethodNotFound, $"Unknown command '{method}'");
        }
        catch (ClnRpcException e)
        {
            return LightningdJson.Error(rawId, e.Code ?? Lightningd, e.ClnMessage ?? e.Message);
        }
    }

    // ---------------------------------------------------------------- params (common/json_param.c)

    private sealed record Param(string Name, bool Required);

    private bool BindParams(string rawId, JsonElement p, Param[] spec, out JsonElement?[] values, out byte[]? error)
    {
        values = new JsonElement?[spec.Length];
        error = null;
        if (p.ValueKind == JsonValueKind.Array)
        {
            int count = p.GetArrayLength();
            if (count > spec.Length)
            {
                error = LightningdJson.Error(rawId, InvalidParams, $"too many parameters: got {count}, expected {spec.Length}");
                return false;
            }
            int i = 0;
            foreach (var item in p.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Null)
                    values[i] = item;
                i++;
            }
        }
        else if (p.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in p.EnumerateObject())
            {
                int i = Array.FindIndex(spec, s => s.Name == member.Name);
                if (i < 0)
                {
                    error = LightningdJson.Error(rawId, InvalidParams,
                        $"unknown parameter: {member.Name}, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.");
                    return false;
                }
                values[i] = member.Value;
            }
        }
        else
        {
            error = LightningdJson.Error(rawId, InvalidParams, "Expected array or object for params");
            return false;
        }

        for (int i = 0; i < spec.Length; i++)
        {
            if (spec[i].Required && values[i] is null)
            {
                error = LightningdJson.Error(rawId, InvalidParams, $"missing required parameter: {spec[i].Name}");
                return false;
            }
        }
        return true;
    }

    private byte[] BadParam(string rawId, string name, JsonElement tok, string message) =>
        LightningdJson.Error(rawId, InvalidParams, Simulator.Options.Developer
            ? $"{name}: {message}: invalid token '{tok.GetRawText()}'"
            : $"{name}: {message}: invalid token (see logs for details)");

    private static bool TryNodeId(JsonElement tok, out PubKey id)
    {
        id = null!;
        if (tok.ValueKind != JsonValueKind.String)
            return false;
        string s = tok.GetString()!;
        if (s.Length != 66 || !s.All(Uri.IsHexDigit) || !PubKey.TryCreatePubKey(Convert.FromHexString(s), out var parsed))
            return false;
        id = parsed;
        return true;
    }

    // ---------------------------------------------------------------- built-in methods

    private byte[] GetInfo(string rawId, JsonElement p)
    {
        if (!BindParams(rawId, p, [], out _, out var error))
            return error!;
        int peers;
        lock (_gate) peers = _peers.Count;
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", IdHex);
            w.WriteString("alias", Name);
            w.WriteString("color", IdHex[..6]);
            w.WriteNumber("num_peers", peers);
            w.WriteNumber("num_pending_channels", 0);
            w.WriteNumber("num_active_channels", 0);
            w.WriteNumber("num_inactive_channels", 0);
            w.WriteStartArray("address");
            w.WriteEndArray();
            w.WriteStartArray("binding");
            w.WriteStartObject();
            w.WriteString("type", "ipv4");
            w.WriteString("address", "127.0.0.1");
            w.WriteNumber("port", Port);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("version", Simulator.Options.Version);
            w.WriteNumber("blockheight", Simulator.Options.BlockHeight);
            w.WriteString("network", Simulator.Options.Network);
            w.WriteNumber("fees_collected_msat", 0);
            w.WriteString("lightning-dir", LightningDir);
            w.WriteStartObject("our_features");
            foreach (var (place, bits) in CurrentFeatureSet().Take(4))
                w.WriteString(place, bits);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// lightningd/peer_control.c <c>json_listpeers</c>. With <c>level</c>, each peer has a <c>log</c>
    /// array; the simulator keeps no per-peer log, so it is empty.
    /// </summary>
    private byte[] ListPeers(string rawId, JsonElement p)
    {
        PubKey? only = null;
        bool withLog = false;
        var error = ParseParams(rawId, p,
            new ParamSpec("id", false, t => TryPubKey(t, out only) ? null : BadParam(rawId, "id", t, "should be a node id")),
            new ParamSpec("level", false, t =>
            {
                // common/status_levels.c log_level_parse: a level name in any case, or "error", or "warn".
                withLog = RawToken(t).ToLowerInvariant() is "io" or "trace" or "debug" or "info" or "unusual" or "broken" or "error" or "warn";
                return withLog ? null : BadParam(rawId, "level", t, "should be 'io', 'debug', 'info', or 'unusual'");
            }));
        if (error is not null)
            return error;

        List<PeerConnection> peers;
        lock (_gate) peers = _peers.Values.Where(c => only is null || c.Id == only).ToList();
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("peers");
            foreach (var peer in peers)
            {
                w.WriteStartObject();
                w.WriteString("id", peer.Id.ToHex());
                w.WriteBoolean("connected", true);
                w.WriteNumber("num_channels", 0);
                w.WriteStartArray("netaddr");
                w.WriteStringValue($"127.0.0.1:{peer.Port}");
                w.WriteEndArray();
                w.WriteString("features", FeatureSet[0].Bits);
                if (withLog)
                {
                    w.WriteStartArray("log");
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>lightningd/peer_control.c <c>json_listpeerchannels</c>: at most one filter; the simulator opens no channels.</summary>
    private byte[] ListPeerChannels(string rawId, JsonElement p)
    {
        int filters = 0;
        var error = ParseParams(rawId, p,
            new ParamSpec("id", false, t =>
            {
                filters++;
                return TryPubKey(t, out _) ? null : BadParam(rawId, "id", t, "should be a node id");
            }),
            new ParamSpec("short_channel_id", false, t =>
            {
                filters++;
                return ShortChannelId.TryParse(RawToken(t), out _) ? null : BadParam(rawId, "short_channel_id", t, "should be a short_channel_id of form NxNxN");
            }),
            new ParamSpec("channel_id", false, t =>
            {
                filters++;
                string text = RawToken(t);
                return text.Length == 64 && text.All(char.IsAsciiHexDigit) ? null : BadParam(rawId, "channel_id", t, "should be a channel id");
            }));
        if (error is not null)
            return error;
        if (filters > 1)
            return LightningdJson.Error(rawId, InvalidParams, "Must not specify more than one of short_channel_id, channel_id or id");

        // The simulator opens no channels.
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("channels");
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private async Task<byte[]> ConnectAsync(string rawId, JsonElement p)
    {
        if (!BindParams(rawId, p, [new("id", true), new("host", false), new("port", false)], out var values, out var error))
            return error!;
        var idTok = values[0]!.Value;
        string idText = ManifestParser.TokText(idTok);
        string? host = values[1] is { } h ? ManifestParser.TokText(h) : null;
        int at = idText.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (host is not null)
                return LightningdJson.Error(rawId, InvalidParams, "Can't specify host as both xxx@yyy and separate argument");
            host = idText[(at + 1)..];
            idText = idText[..at];
        }

        if (idText.Length != 66 || !idText.All(Uri.IsHexDigit) || !PubKey.TryCreatePubKey(Convert.FromHexString(idText), out var id))
            return BadParam(rawId, "id", idTok, "should be a node id");
        if (host is null && values[2] is not null)
            return LightningdJson.Error(rawId, InvalidParams, "Can't specify port without host");

        var existing = GetPeer(id);
        if (existing is null)
        {
            var remote = Simulator.FindNode(id);
            if (remote is null || remote == this)
            {
                if (host is null)
                    return LightningdJson.Error(rawId, 400, "Unable to connect, no address known for peer");
                return LightningdJson.Error(rawId, 401, $"All addresses failed: {host}: Connection establishment: Connection refused. ");
            }
            await Simulator.ConnectAsync(this, remote).ConfigureAwait(false);
            existing = GetPeer(id)!;
        }

        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id.ToHex());
            w.WriteString("features", FeatureSet[0].Bits);
            w.WriteString("direction", existing.Incoming ? "in" : "out");
            LightningdJson.WriteAddress(w, "address", existing.Port);
            w.WriteEndObject();
        });
    }

    private async Task<byte[]> DisconnectAsync(string rawId, JsonElement p)
    {
        if (!BindParams(rawId, p, [new("id", true), new("force", false)], out var values, out var error))
            return error!;
        var idTok = values[0]!.Value;
        if (!TryNodeId(idTok, out var id))
            return BadParam(rawId, "id", idTok, "invalid peer id");
        if (!IsConnectedTo(id))
            return LightningdJson.Error(rawId, InvalidParams, $"Unknown peer '{ManifestParser.TokText(idTok)}'");
        await Simulator.DisconnectAsync(this, id).ConfigureAwait(false);
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteEndObject();
        });
    }

    /// <summary>lightningd/connect_control.c <c>json_sendcustommsg</c>, byte for byte, bugs included.</summary>
    private byte[] SendCustomMsg(string rawId, JsonElement idTok, JsonElement p)
    {
        if (!BindParams(rawId, p, [new("node_id", true), new("msg", true)], out var values, out var error))
            return error!;
        var nodeTok = values[0]!.Value;
        if (!TryNodeId(nodeTok, out var dest))
            return BadParam(rawId, "node_id", nodeTok, "should be a node id");

        // v26.06.6's param_bin_from_hex takes the token's text as is: a number works, and malformed
        // hex or an empty string is accepted and then crashes connectd.
        var msgTok = values[1]!.Value;
        string msgText = ManifestParser.TokText(msgTok);
        bool wellFormed = msgText.Length > 0 && msgText.Length % 2 == 0 && msgText.All(Uri.IsHexDigit);
        byte[] message = wellFormed ? Convert.FromHexString(msgText) : [];
        int type = wellFormed ? PeerWire.PeekType(message) : -1;

        if (wellFormed && PeerWire.IsInternal(type))
        {
            return LightningdJson.Error(rawId, InvalidRequest,
                $"Cannot send messages of type {type} ({PeerWire.Name(type)}). It is not possible to send messages that have a type managed internally since that might cause issues with the internal state tracking.");
        }

        if (wellFormed && type % 2 == 0)
        {
            var level = Interlocked.Exchange(ref _evenSendLogged, 1) == 0 ? NodeLogLevel.Info : NodeLogLevel.Debug;
            AddLog(level, $"{dest.ToHex()}-lightningd", $"sendcustommsg id={rawId} sending a custom even message ({type})");
        }

        var peer = GetPeer(dest);
        if (peer is null)
            return LightningdJson.Error(rawId, InvalidRequest, $"No such peer: {dest.ToHex()}");

        if (!wellFormed)
        {
            CrashConnectd(idTok, msgText);
        }
        else if (peer.Remote is { } remote)
        {
            remote.EnqueueIncoming(Id, message);
        }

        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", "Message sent to connectd for delivery");
            w.WriteEndObject();
        });
    }

    private void CrashConnectd(JsonElement idTok, string msgText)
    {
        // Attribute the fault to the plugin whose request id names it ("<plugin>:sendcustommsg#N").
        string id = ManifestParser.TokText(idTok);
        int colon = id.IndexOf(':', StringComparison.Ordinal);
        string? caller = colon > 0 ? id[..colon] : null;
        string? pluginName;
        lock (_gate)
            pluginName = caller is not null && _plugins.Any(p => p.Name == caller) ? caller : null;

        AddLog(NodeLogLevel.Broken, "connectd", $"FATAL SIGNAL 6 (version {Simulator.Options.Version})");
        var violation = new PluginProtocolViolationException(Name, pluginName,
            $"sendcustommsg with msg \"{msgText}\" (not well-formed hex of at least one byte) is accepted by lightningd v26.06.6 and then crashes connectd: connectd: FATAL SIGNAL 6 (version {Simulator.Options.Version})",
            ViolationConsequence.ConnectdCrashes);
        AddViolation(violation);
        foreach (var peer in Peers)
            _ = Simulator.DisconnectAsync(this, peer);
    }

    /// <summary>
    /// lightningd/configs.c <c>json_setconfig</c> for plugin options: checks the option is dynamic and
    /// the value's shape, asks the plugin (method <c>setconfig</c>), and relays its refusal or confirms.
    /// </summary>
    private async Task<byte[]> SetConfigAsync(string rawId, JsonElement idTok, JsonElement p)
    {
        if (!BindParams(rawId, p, [new("config", true), new("val", false), new("transient", false)], out var values, out var error))
            return error!;
        var configTok = values[0]!.Value;
        string name = ManifestParser.TokText(configTok);
        SimulatedPlugin? owner;
        PluginOptionInfo? option;
        lock (_gate)
        {
            owner = _plugins.FirstOrDefault(pl => pl.IsRunning && pl.Manifest!.Options.Any(o => o.Name == name));
            option = owner?.Manifest!.Options.First(o => o.Name == name);
        }
        if (owner is null || option is null)
            return BadParam(rawId, "config", configTok, "Unknown config option");
        if (!option.Dynamic)
            return BadParam(rawId, "config", configTok, "Not a dynamic config option");

        var valTok = values[1];
        if (option.Multi && valTok is { ValueKind: not JsonValueKind.Array })
            return LightningdJson.Error(rawId, InvalidParams, $"{name} is a multi option: val must be an array");
        if (!option.Multi && valTok is { ValueKind: JsonValueKind.Array })
            return LightningdJson.Error(rawId, InvalidParams, $"{name} is not a multi option: val must not be an array");
        if (option.Type == "flag" && valTok is not null)
            return LightningdJson.Error(rawId, InvalidParams, $"{name} does not take a value");
        if (option.Type != "flag" && !option.Multi && valTok is null)
            return LightningdJson.Error(rawId, InvalidParams, $"{name} requires a value");

        string[] vals = valTok is null ? []
            : valTok.Value.ValueKind == JsonValueKind.Array ? valTok.Value.EnumerateArray().Select(ManifestParser.TokText).ToArray()
            : [ManifestParser.TokText(valTok.Value)];

        var response = await owner.SendRequestAsync("setconfig", ManifestParser.TokText(idTok), w =>
        {
            w.WriteString("config", name);
            if (option.Multi)
            {
                w.WriteStartArray("val");
                foreach (var v in vals)
                    w.WriteStringValue(v);
                w.WriteEndArray();
            }
            else if (vals.Length > 0)
            {
                w.WriteString("val", vals[0]);
            }
        }).ConfigureAwait(false);

        JsonElement answer;
        try
        {
            answer = await response.WaitAsync(Simulator.Options.Timeout).ConfigureAwait(false);
        }
        catch (PluginTerminatedException)
        {
            return LightningdJson.Error(rawId, -4, "Plugin terminated before replying to RPC call.");
        }
        catch (TimeoutException)
        {
            return LightningdJson.Error(rawId, Lightningd, $"Plugin {owner.Name} did not answer setconfig within {Simulator.Options.Timeout.TotalMilliseconds:0} ms (simulator timeout)");
        }

        if (answer.TryGetProperty("error", out var pluginError))
        {
            int code = pluginError.TryGetProperty("code", out var c) && c.TryGetInt32(out int ci) ? ci : Lightningd;
            string message = pluginError.TryGetProperty("message", out var m) ? ManifestParser.TokText(m) : pluginError.GetRawText();
            return LightningdJson.Error(rawId, code, message);
        }

        bool transient = values[2] is { ValueKind: JsonValueKind.True };
        AddLog(NodeLogLevel.Info, "lightningd", $"setconfig: {name} {(vals.Length > 0 ? string.Join(",", vals) : "SET")} (updated {(transient ? "setconfig transient" : "config.setconfig")})");
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("config");
            w.WriteString("config", name);
            string field = option.Type switch { "int" => "value_int", "bool" => "value_bool", _ => "value_str" };
            if (option.Type == "flag")
            {
                w.WriteBoolean("set", true);
            }
            else if (option.Multi)
            {
                w.WriteStartArray(field + "s");
                foreach (var v in vals)
                    WriteConfigValue(w, option.Type, v);
                w.WriteEndArray();
            }
            else
            {
                w.WritePropertyName(field);
                WriteConfigValue(w, option.Type, vals[0]);
            }
            w.WriteString("source", transient ? "setconfig transient" : Path.Combine(LightningDir, "config.setconfig") + ":1");
            w.WriteString("plugin", owner.Command);
            w.WriteBoolean("dynamic", true);
            w.WriteEndObject();
            w.WriteEndObject();
        });

        static void WriteConfigValue(Utf8JsonWriter w, string type, string v)
        {
            if (type == "int" && long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long n))
                w.WriteNumberValue(n);
            else if (type == "bool")
                w.WriteBooleanValue(v is "true" or "1" or "yes");
            else
                w.WriteStringValue(v);
        }
    }

    /// <summary>Forwards a request to the plugin that registered the method (lightningd/plugin.c <c>plugin_rpcmethod_dispatch</c>).</summary>
    private async Task<byte[]> PassThroughAsync(SimulatedPlugin plugin, JsonElement request, string rawId, string method, JsonElement p)
    {
        string prefix = ManifestParser.TokText(request.GetProperty("id"));
        var response = await plugin.SendRequestAsync(method, prefix, w =>
        {
            // SendRequestAsync writes "params":{...}; the caller's params are copied member by member.
            if (p.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in p.EnumerateObject())
                    member.WriteTo(w);
            }
        }, p.ValueKind == JsonValueKind.Array ? p.GetRawText() : null).ConfigureAwait(false);

        JsonElement answer;
        try
        {
            answer = await response.WaitAsync(Simulator.Options.Timeout).ConfigureAwait(false);
        }
        catch (PluginTerminatedException)
        {
            return LightningdJson.Error(rawId, -4, $"Plugin terminated before replying to RPC call.");
        }
        catch (TimeoutException)
        {
            return LightningdJson.Error(rawId, Lightningd, $"Plugin {plugin.Name} did not answer {method} within {Simulator.Options.Timeout.TotalMilliseconds:0} ms (simulator timeout)");
        }

        // The plugin's answer goes back with the caller's id restored.
        return LightningdJson.Write(w =>
        {
            w.WriteStartObject();
            foreach (var member in answer.EnumerateObject())
            {
                if (member.NameEquals("id"))
                {
                    w.WritePropertyName("id");
                    w.WriteRawValue(rawId, skipInputValidation: true);
                }
                else
                {
                    member.WriteTo(w);
                }
            }
            w.WriteEndObject();
        });
    }

    // ---------------------------------------------------------------- check and help (plugin commands)

    /// <summary>
    /// <c>check &lt;command&gt; ...</c> for a plugin's command (lightningd/jsonrpc.c <c>json_check</c>,
    /// lightningd/plugin.c <c>plugin_rpcmethod_check</c>): a plugin with <c>cancheck</c> gets the whole
    /// request as its method <c>check</c> and its answer goes back as it is; any other plugin's command
    /// passes, with lightningd's UNUSUAL line. Checking a built-in command is not simulated.
    /// </summary>
    private async Task<byte[]> CheckAsync(string rawId, JsonElement request, JsonElement p)
    {
        JsonElement? commandTok = p.ValueKind switch
        {
            JsonValueKind.Object when p.TryGetProperty("command_to_check", out var c) => c,
            JsonValueKind.Array when p.GetArrayLength() > 0 => p[0],
            _ => null,
        };
        if (p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            return LightningdJson.Error(rawId, InvalidParams, "Expected array or object for params");
        if (commandTok is not { } tok || tok.ValueKind == JsonValueKind.Null)
            return LightningdJson.Error(rawId, InvalidParams, "missing required parameter: command_to_check");

        string command = ManifestParser.TokText(tok);
        SimulatedPlugin? owner;
        lock (_gate)
            owner = _plugins.FirstOrDefault(pl => pl.IsRunning && pl.Manifest!.RpcMethods.Any(m => m.Name == command));
        if (owner is null)
        {
            return BuiltInMethods.Contains(command)
                ? LightningdJson.Error(rawId, Lightningd, $"check {command}: checking built-in commands is not simulated")
                : LightningdJson.Error(rawId, MethodNotFound, $"Unknown command '{command}'");
        }

        if (owner.Manifest!.CanCheck)
            return await PassThroughAsync(owner, request, rawId, "check", p).ConfigureAwait(false);

        AddLog(NodeLogLevel.Unusual, $"plugin-{owner.Name}", $"Plugin does not support check command for {command} (id {rawId})");
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("command_to_check", command);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>help [command]</c> for the plugins' commands (lightningd/jsonrpc.c <c>json_help</c>): each as
    /// <c>{"command":"name usage"}</c>. The simulator's built-in commands have no usage and are not listed.
    /// </summary>
    private byte[] Help(string rawId, JsonElement p)
    {
        if (!BindParams(rawId, p, [new("command", false)], out var values, out var error))
            return error!;
        string? only = values[0] is { } c ? ManifestParser.TokText(c) : null;
        List<(string Name, string Usage)> commands;
        lock (_gate)
        {
            commands = _plugins.Where(pl => pl.IsRunning)
                .SelectMany(pl => pl.Manifest!.RpcMethods)
                .Where(m => only is null || m.Name == only)
                .Select(m => (m.Name, m.Usage))
                .OrderBy(m => m.Name, StringComparer.Ordinal)
                .ToList();
        }

        if (only is not null && commands.Count == 0)
            return LightningdJson.Error(rawId, MethodNotFound, $"Unknown command {only}");
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("help");
            foreach (var (name, usage) in commands)
            {
                w.WriteStartObject();
                w.WriteString("command", $"{name} {usage}");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("format-hint", "simple");
            w.WriteEndObject();
        });
    }
}
