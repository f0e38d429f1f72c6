using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin.Internal;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// Configures a Core Lightning plugin: services, logging and configuration as in any .NET host, plus
/// what lightningd sees in the manifest (options, RPC methods, hooks, subscriptions, notification
/// topics, feature bits) and the typed custom message handlers. Create with
/// <see cref="ClnPlugin.CreateBuilder"/>; finish with <see cref="Build"/>.
/// </summary>
public sealed partial class ClnPluginBuilder : IHostApplicationBuilder
{
    private static readonly HashSet<string> ReservedMethods = new(StringComparer.Ordinal)
    {
        "getmanifest", "init", "setconfig", "check", "custommsg",
    };

    /// <summary>How long <see cref="Build"/> waits for the <c>getmanifest</c> answer before it builds the host regardless.</summary>
    private static readonly TimeSpan ManifestHeadStart = TimeSpan.FromSeconds(1);

    private readonly string[] _args;
    private readonly string? _applicationName;
    private readonly DeferredServiceCollection _services;
    private HostApplicationBuilder? _inner;
    private readonly List<OptionSpec> _options = [];
    private readonly List<MethodSpec> _methods = [];
    private readonly List<HookSpec> _hooks = [];
    private readonly List<SubscriptionSpec> _subscriptions = [];
    private readonly List<string> _notificationTopics = [];
    private SortedDictionary<FeatureBitsKind, SortedSet<int>>? _featureBits;
    private readonly List<MessageHandlerEntry> _messageHandlers = [];
    private ushort[] _extraCustomMessageTypes = [];
    private readonly List<Func<PluginInitContext, CancellationToken, ValueTask>> _initCallbacks = [];
    private string[] _customMessageBefore = [];
    private string[] _customMessageAfter = [];
    private ProtocolWriter? _stdoutWriter;
    private Stream? _input;
    private Stream? _output;
    private bool _built;

    internal ClnPluginBuilder(string[] args)
    {
        _args = args;
        _applicationName = Assembly.GetEntryAssembly()?.GetName().Name;
        Name = _applicationName is { Length: > 0 } app ? app : "dotnet-plugin";
        _services = new DeferredServiceCollection(() => Inner.Services);

        if (System.Environment.GetEnvironmentVariable("LIGHTNINGD_PLUGIN") == "1")
        {
            // Under lightningd, stdout is the protocol from the first byte: anything the program
            // prints, even before Build(), becomes a log line instead.
            _stdoutWriter = new ProtocolWriter(Console.OpenStandardOutput(), synchronousFlush: true);
            Console.SetOut(new LogTextWriter(_stdoutWriter));
        }
    }

    /// <summary>
    /// The host builder, created when first needed: by the first use of <see cref="Configuration"/>,
    /// <see cref="Logging"/> and the like, or of <see cref="Services"/> for anything but adding a
    /// registration, or else by <see cref="Build"/> once <c>getmanifest</c> is answered. Creating it
    /// loads and (without ReadyToRun) JIT-compiles much of Microsoft.Extensions.Hosting, so a plugin
    /// that needs none of it before Build() answers lightningd sooner.
    /// </summary>
    private HostApplicationBuilder Inner
    {
        get
        {
            if (_inner is null)
            {
                _inner = CreateInner();
                _services.Attach(_inner.Services);
            }

            return _inner;
        }
    }

    /// <summary>The plugin's name, used as the prefix of its lightning-rpc request ids. Defaults to the entry assembly's name.</summary>
    public string Name { get; set; }

    /// <summary>
    /// Whether lightningd may start and stop the plugin at runtime (<c>plugin start/stop</c>). Default
    /// <see langword="false"/>, as in cln-plugin: lightningd refuses feature bits from dynamic plugins.
    /// </summary>
    public bool Dynamic { get; set; }

    /// <summary>
    /// Whether lightningd should pass <c>check &lt;method&gt;</c> (and <c>check setconfig</c>) to the plugin
    /// (<c>cancheck</c>). The runtime then checks that the method exists, or that the option is declared.
    /// </summary>
    public bool CanCheck { get; set; }

    /// <inheritdoc />
    public IServiceCollection Services => _services;

    /// <inheritdoc />
    public IConfigurationManager Configuration => Inner.Configuration;

    /// <inheritdoc />
    public IHostEnvironment Environment => Inner.Environment;

    /// <inheritdoc />
    public ILoggingBuilder Logging => Inner.Logging;

    /// <inheritdoc />
    public IMetricsBuilder Metrics => Inner.Metrics;

    /// <inheritdoc />
    public IDictionary<object, object> Properties => ((IHostApplicationBuilder)Inner).Properties;

    /// <inheritdoc />
    public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
        where TContainerBuilder : notnull =>
        Inner.ConfigureContainer(factory, configure);

    /// <summary>
    /// Talks to lightningd over these streams instead of the process's stdin/stdout (for in-process
    /// tests and simulators). <see cref="Console.Out"/> is then left alone.
    /// </summary>
    /// <param name="input">What lightningd writes (the plugin's stdin).</param>
    /// <param name="output">What the plugin writes to lightningd (its stdout).</param>
    public ClnPluginBuilder UseStreams(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        _input = input;
        _output = output;
        return this;
    }

    /// <summary>
    /// Handles a custom message type. The manifest registers the <c>custommsg</c> hook filtered to
    /// the handled types (and lists even types in <c>custommessages</c>). The hook is answered
    /// <c>continue</c> at once; the message is decoded and handled off lightningd's path, one at a
    /// time per peer, in order. Decode failures and exceptions are logged and never stop the plugin.
    /// </summary>
    /// <typeparam name="TMessage">The generated message type.</typeparam>
    /// <param name="handler">The handler; its token is cancelled when the plugin stops.</param>
    /// <exception cref="InvalidOperationException">A handler for that message type is already registered.</exception>
    public ClnPluginBuilder HandleMessage<TMessage>(Func<CustomMessageContext<TMessage>, CancellationToken, ValueTask> handler)
        where TMessage : ICustomMessage<TMessage>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddMessageHandler(new MessageHandlerEntry<TMessage>((_, context, ct) => handler(context, ct), needsScope: false));
    }

    /// <summary>
    /// Handles a custom message type with a handler class resolved from dependency injection, in a
    /// new scope per message (registered as scoped unless already registered).
    /// </summary>
    /// <typeparam name="TMessage">The generated message type.</typeparam>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <exception cref="InvalidOperationException">A handler for that message type is already registered.</exception>
    public ClnPluginBuilder HandleMessage<TMessage, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
        where TMessage : ICustomMessage<TMessage>
        where THandler : class, ICustomMessageHandler<TMessage>
    {
        Services.TryAddScoped<THandler>();
        return AddMessageHandler(new MessageHandlerEntry<TMessage>(
            (services, context, ct) => services.GetRequiredService<THandler>().HandleAsync(context, ct),
            needsScope: true));
    }

    /// <summary>
    /// Orders this plugin's <c>custommsg</c> hook relative to other plugins' (lightningd calls hooks in
    /// a chain). Plugins are named by their short names; unknown names are ignored by lightningd.
    /// </summary>
    /// <param name="before">Plugins whose custommsg hook must run after this one's.</param>
    /// <param name="after">Plugins whose custommsg hook must run before this one's.</param>
    public ClnPluginBuilder OrderCustomMessageHook(IEnumerable<string>? before = null, IEnumerable<string>? after = null)
    {
        _customMessageBefore = before?.ToArray() ?? [];
        _customMessageAfter = after?.ToArray() ?? [];
        return this;
    }

    /// <summary>
    /// Lists even message types in the manifest's <c>custommessages</c> without handling them (for
    /// example when sending them is enough, or when another mechanism reads them). Types you handle
    /// with <c>HandleMessage</c> are listed automatically.
    /// </summary>
    /// <param name="messageTypes">The message types (odd ones need no listing and are ignored).</param>
    public ClnPluginBuilder AllowCustomMessageTypes(params ushort[] messageTypes)
    {
        ArgumentNullException.ThrowIfNull(messageTypes);
        _extraCustomMessageTypes = [.. _extraCustomMessageTypes, .. messageTypes];
        return this;
    }

    /// <summary>Declares an option of any type (see also the typed <c>Add...Option</c> methods).</summary>
    /// <param name="name">The name: lowercase letters, digits, '_' and '-' (lightningd's rule).</param>
    /// <param name="type">The option type.</param>
    /// <param name="description">The description shown by <c>lightningd --help</c> (required by lightningd).</param>
    /// <param name="defaultValue">A default: a string for string types, a long (or int) for int, a bool for bool; <see langword="null"/> for none. A flag's default can only be false.</param>
    /// <param name="multi">Whether it may be given several times (string and int only); its value is then a list.</param>
    /// <param name="dynamic">Whether <c>setconfig</c> may change it at runtime.</param>
    /// <param name="deprecated">Whether it is deprecated (hidden from help, refused without deprecated APIs).</param>
    /// <exception cref="ArgumentException">
    /// The name, the default or the combination is one lightningd refuses, or the name is one of lightningd's own
    /// options (lightningd would not start).
    /// </exception>
    public ClnPluginBuilder AddOption(string name, PluginOptionType type, string description, object? defaultValue = null, bool multi = false, bool dynamic = false, bool deprecated = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ValidateName(name, "Option");
        if (LightningdNames.IsOption(name))
        {
            throw new ArgumentException(
                $"Option '{name}' is one of lightningd's own options ({LightningdNames.Version}): lightningd would refuse to start " +
                $"(\"error starting plugin '...': option name '{name}' is already taken\"). Prefix it with the plugin's name.",
                nameof(name));
        }

        if (_options.Any(o => o.Name == name))
        {
            throw new ArgumentException($"Option '{name}' is already declared.", nameof(name));
        }

        if (multi && type is PluginOptionType.Boolean or PluginOptionType.Flag)
        {
            throw new ArgumentException($"A {type} option cannot be multi.", nameof(multi));
        }

        object? normalized = (type, defaultValue) switch
        {
            (_, null) => null,
            (PluginOptionType.String or PluginOptionType.ConcealedString, string s) => s,
            (PluginOptionType.Integer, long l) => l,
            (PluginOptionType.Integer, int i) => (long)i,
            (PluginOptionType.Boolean, bool b) => b,
            (PluginOptionType.Flag, false) => false,
            _ => throw new ArgumentException($"Default value {defaultValue} does not fit a {type} option (a flag's default can only be false).", nameof(defaultValue)),
        };
        if (multi && normalized is not null)
        {
            throw new ArgumentException("A multi option takes no default here.", nameof(defaultValue));
        }

        _options.Add(new OptionSpec(name, type, description, normalized, multi, dynamic, deprecated));
        return this;
    }

    /// <summary>Declares a <c>string</c> option (or <c>string-conceal</c> when <paramref name="conceal"/>). Read it with <see cref="ClnPluginContext.GetString"/> or <see cref="ClnPluginContext.GetStringList"/>.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="description">Its description.</param>
    /// <param name="defaultValue">The default, or <see langword="null"/>.</param>
    /// <param name="multi">Whether it may be given several times.</param>
    /// <param name="dynamic">Whether <c>setconfig</c> may change it.</param>
    /// <param name="conceal">Whether <c>listconfigs</c> hides the value (for secrets).</param>
    public ClnPluginBuilder AddStringOption(string name, string description, string? defaultValue = null, bool multi = false, bool dynamic = false, bool conceal = false) =>
        AddOption(name, conceal ? PluginOptionType.ConcealedString : PluginOptionType.String, description, defaultValue, multi, dynamic);

    /// <summary>Declares an <c>int</c> option. Read it with <see cref="ClnPluginContext.GetInt64"/> or <see cref="ClnPluginContext.GetInt64List"/>.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="description">Its description.</param>
    /// <param name="defaultValue">The default, or <see langword="null"/>.</param>
    /// <param name="multi">Whether it may be given several times.</param>
    /// <param name="dynamic">Whether <c>setconfig</c> may change it.</param>
    public ClnPluginBuilder AddIntegerOption(string name, string description, long? defaultValue = null, bool multi = false, bool dynamic = false) =>
        AddOption(name, PluginOptionType.Integer, description, defaultValue, multi, dynamic);

    /// <summary>Declares a <c>bool</c> option. Read it with <see cref="ClnPluginContext.GetBoolean"/>.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="description">Its description.</param>
    /// <param name="defaultValue">The default, or <see langword="null"/>.</param>
    /// <param name="dynamic">Whether <c>setconfig</c> may change it.</param>
    public ClnPluginBuilder AddBooleanOption(string name, string description, bool? defaultValue = null, bool dynamic = false) =>
        AddOption(name, PluginOptionType.Boolean, description, defaultValue, multi: false, dynamic);

    /// <summary>Declares a <c>flag</c> option (false unless given). Read it with <see cref="ClnPluginContext.GetBoolean"/>.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="description">Its description.</param>
    /// <param name="dynamic">Whether <c>setconfig</c> may change it.</param>
    public ClnPluginBuilder AddFlagOption(string name, string description, bool dynamic = false) =>
        AddOption(name, PluginOptionType.Flag, description, null, multi: false, dynamic);

    /// <summary>Adds an RPC method to lightningd (callable as <c>lightning-cli &lt;name&gt;</c>).</summary>
    /// <param name="name">The method name.</param>
    /// <param name="handler">Returns the result object (<see langword="null"/> means <c>{}</c>); throw <see cref="PluginMethodException"/> for a specific error.</param>
    /// <param name="usage">The usage string, for example <c>"peer_id [amount]"</c>.</param>
    /// <param name="description">A one-line description (sent for lightningd up to v24.05, which requires it).</param>
    /// <param name="longDescription">An optional longer description.</param>
    /// <param name="deprecated">Whether the method is deprecated.</param>
    /// <param name="check">
    /// Validates a call without running it, for <c>lightning-cli check &lt;name&gt; ...</c> (with
    /// <see cref="CanCheck"/>): it gets the call's <c>params</c> (without <c>command_to_check</c>) and
    /// throws <see cref="PluginMethodException"/> to refuse them. Without it, check only confirms the
    /// method exists.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The name breaks lightningd's rule, is already added, is one the plugin protocol uses, or is a command
    /// lightningd or one of its built-in plugins already has (lightningd would crash, or kill the plugin).
    /// </exception>
    public ClnPluginBuilder AddMethod(string name, Func<PluginRequestContext, CancellationToken, ValueTask<JsonNode?>> handler, string usage = "", string? description = null, string? longDescription = null, bool deprecated = false, Func<PluginRequestContext, CancellationToken, ValueTask>? check = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(usage);
        ValidateName(name, "Method");
        if (LightningdNames.IsCommand(name))
        {
            throw new ArgumentException(
                $"Method '{name}' is a command of lightningd {LightningdNames.Version} or of one of its built-in plugins: " +
                "announcing it makes lightningd crash (FATAL SIGNAL 11) when the command is lightningd's own, or kill this plugin " +
                "(\"a method with that name is already registered\") when it belongs to a built-in plugin. Prefix it with the plugin's name.",
                nameof(name));
        }

        if (ReservedMethods.Contains(name) || _methods.Any(m => m.Name == name))
        {
            throw new ArgumentException($"Method '{name}' is reserved or already added.", nameof(name));
        }

        _methods.Add(new MethodSpec(name, usage, description ?? name, longDescription, deprecated, (_, ctx, ct) => handler(ctx, ct), check));
        return this;
    }

    /// <summary>
    /// Registers a lightningd hook (other than <c>custommsg</c>, which <c>HandleMessage</c> owns). The
    /// handler's result is the hook's answer; if it throws, lightningd gets <paramref name="fallback"/>
    /// (an error reply would abort lightningd).
    /// </summary>
    /// <param name="name">The hook name, for example <c>peer_connected</c> or <c>rpc_command</c>.</param>
    /// <param name="handler">Returns the hook's result, for example <c>{"result":"continue"}</c>.</param>
    /// <param name="fallback">The answer when the handler fails; default <c>{"result":"continue"}</c>.</param>
    /// <param name="before">Plugins (short names) this one must run before.</param>
    /// <param name="after">Plugins (short names) this one must run after.</param>
    /// <param name="filters">Filters (lightningd v25.12+): method names for <c>rpc_command</c>, the only hook here that takes filters.</param>
    /// <param name="timeout">
    /// If the handler has not answered by then, lightningd gets <paramref name="fallback"/> and the
    /// handler's token is cancelled (lightningd waits for a hook forever: a stuck handler stalls the
    /// peer, payment or command). <see langword="null"/> (the default) waits as long as the handler
    /// takes, as holding an <c>htlc_accepted</c> may need.
    /// </param>
    /// <exception cref="ArgumentException">An unknown hook, one registered twice, or filters lightningd refuses for it.</exception>
    public ClnPluginBuilder AddHook(string name, Func<PluginRequestContext, CancellationToken, ValueTask<JsonNode>> handler, JsonNode? fallback = null, IEnumerable<string>? before = null, IEnumerable<string>? after = null, IEnumerable<object>? filters = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (timeout is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(timeout));
        }

        if (name == "custommsg")
        {
            throw new ArgumentException("The runtime owns the custommsg hook: use HandleMessage<T>.", nameof(name));
        }

        if (!LightningdSchema.IsHook(name))
        {
            throw new ArgumentException($"lightningd has no hook named '{name}'.", nameof(name));
        }

        if (_hooks.Any(h => h.Name == name))
        {
            throw new ArgumentException($"Hook '{name}' is already registered (lightningd refuses a hook registered twice).", nameof(name));
        }

        var filterList = filters?.ToArray();
        if (filterList is not null && name != "rpc_command")
        {
            throw new ArgumentException($"Hook '{name}' takes no filters: lightningd kills the plugin (\"Hook {name} does not allow filters\").", nameof(filters));
        }

        if (filterList is not null && filterList.Any(f => f is not string))
        {
            throw new ArgumentException("The rpc_command hook's filters are method names (strings): lightningd kills a plugin that sends anything else.", nameof(filters));
        }

        _hooks.Add(new HookSpec(
            name,
            before?.ToArray() ?? [],
            after?.ToArray() ?? [],
            filterList,
            fallback ?? new JsonObject { ["result"] = "continue" },
            (_, ctx, ct) => handler(ctx, ct),
            timeout));
        return this;
    }

    /// <summary>Subscribes to a notification topic (<c>"*"</c> for every topic).</summary>
    /// <param name="topic">The topic, for example <c>connect</c>, <c>block_added</c>, or a custom topic of another plugin.</param>
    /// <param name="handler">
    /// Called for each notification, off the stdin loop. Notifications are delivered one at a time, in
    /// lightningd's order (up to 10,000 wait; more are dropped and logged); exceptions are logged.
    /// </param>
    public ClnPluginBuilder Subscribe(string topic, Func<PluginNotificationContext, CancellationToken, ValueTask> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(handler);
        _subscriptions.Add(new SubscriptionSpec(topic, (_, ctx, ct) => handler(ctx, ct)));
        return this;
    }

    /// <summary>
    /// Subscribes to a notification with a typed payload, for example
    /// <c>builder.Subscribe&lt;ConnectNotification&gt;((n, ctx, ct) =&gt; ...)</c>. A payload that does not
    /// read is logged and skipped.
    /// </summary>
    /// <typeparam name="TNotification">The payload type; its <c>Topic</c> is the subscription.</typeparam>
    /// <param name="handler">Called with the payload and the raw notification.</param>
    public ClnPluginBuilder Subscribe<TNotification>(Func<TNotification, PluginNotificationContext, CancellationToken, ValueTask> handler)
        where TNotification : IPluginNotification<TNotification>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscribe(TNotification.Topic, (ctx, ct) => handler(PayloadUnreadableException.Read(ctx.Payload, TNotification.FromJson), ctx, ct));
    }

    /// <summary>Declares a custom notification topic this plugin emits (with <see cref="IPluginNotifier"/>).</summary>
    /// <param name="topic">The topic; not one of lightningd's own.</param>
    public ClnPluginBuilder AddNotificationTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        if (LightningdSchema.IsNativeNotificationTopic(topic))
        {
            throw new ArgumentException($"'{topic}' is one of lightningd's own topics.", nameof(topic));
        }

        if (!_notificationTopics.Contains(topic))
        {
            _notificationTopics.Add(topic);
        }

        return this;
    }

    /// <summary>
    /// Advertises a feature bit (for example <c>(FeatureBitsKind.Node, 729)</c>). lightningd refuses
    /// feature bits from dynamic plugins, and <see cref="Build"/> does too.
    /// </summary>
    /// <param name="kind">Where to advertise it.</param>
    /// <param name="bit">The bit number (BOLT #9).</param>
    public ClnPluginBuilder AddFeatureBit(FeatureBitsKind kind, int bit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bit, 65535);
        _featureBits ??= [];
        if (!_featureBits.TryGetValue(kind, out var bits))
        {
            _featureBits[kind] = bits = [];
        }

        bits.Add(bit);
        return this;
    }

    /// <summary>Runs when lightningd sends <c>init</c>, before the plugin answers it; may call <see cref="PluginInitContext.Disable"/>.</summary>
    /// <param name="callback">The callback. If it throws, the plugin disables itself (logged).</param>
    public ClnPluginBuilder OnInit(Func<PluginInitContext, CancellationToken, ValueTask> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _initCallbacks.Add(callback);
        return this;
    }

    /// <summary>Builds the plugin host.</summary>
    /// <exception cref="InvalidOperationException">The manifest would be refused by lightningd (for example feature bits on a dynamic plugin), or Build was already called.</exception>
    public ClnPlugin Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("Build can be called only once.");
        }

        if (Dynamic && _featureBits is { Count: > 0 })
        {
            throw new InvalidOperationException("Custom featurebits only allows for non-dynamic plugins (lightningd refuses feature bits from a dynamic plugin).");
        }

        _built = true;
        var definition = new PluginDefinition
        {
            PluginName = Name,
            Options = _options.ToArray(),
            Methods = _methods.ToArray(),
            Hooks = _hooks.ToArray(),
            Subscriptions = _subscriptions.ToArray(),
            NotificationTopics = _notificationTopics.ToArray(),
            FeatureBits = _featureBits?.ToDictionary(kv => FeaturePlace(kv.Key), kv => FeatureHex(kv.Value)) ?? new Dictionary<string, string>(),
            MessageHandlers = _messageHandlers.ToArray(),
            ExtraCustomMessageTypes = _extraCustomMessageTypes,
            InitCallbacks = _initCallbacks.ToArray(),
            CustomMessageHookBefore = _customMessageBefore,
            CustomMessageHookAfter = _customMessageAfter,
            Dynamic = Dynamic,
            CanCheck = CanCheck,
        };

        bool processStdio = _input is null;
        var streams = new PluginStreams(_input ?? Console.OpenStandardInput(), _output ?? Console.OpenStandardOutput(), processStdio);
        ProtocolWriter writer;
        if (processStdio)
        {
            // stdout is the protocol: anything written to the console becomes a log line instead.
            writer = _stdoutWriter ?? new ProtocolWriter(streams.Output, synchronousFlush: true);
            if (_stdoutWriter is null)
            {
                Console.SetOut(new LogTextWriter(writer));
            }
        }
        else
        {
            writer = new ProtocolWriter(streams.Output);
        }

        var optionsSource = new OptionsConfigurationSource();
        var context = new ClnPluginContext(_options, Name, optionsSource.Provider);
        var server = new PluginServer(definition, writer, context, new ClnLoggerProvider(writer).CreateLogger("Cln.ProtocolExtensions.Plugin"));
        Task? running = null;
        if (processStdio)
        {
            if (System.Environment.GetEnvironmentVariable("LIGHTNINGD_PLUGIN") != "1" && !Console.IsInputRedirected)
            {
                // Started by hand from a terminal: say what this is (on stderr: stdout is the protocol).
                Console.Error.WriteLine($"{Name} is a Core Lightning plugin: start it with `lightningd --plugin=<path>` or `lightning-cli plugin start <path>`. It now waits for lightningd's JSON-RPC on stdin.");
            }

            // Answer getmanifest before the host is built: the manifest is complete now.
            running = PluginLoop.StartOnThread(server, streams.Input);

            // lightningd sends getmanifest the moment it starts the plugin and waits for the answer;
            // building the host meanwhile would take CPU and the runtime's type-loading and JIT locks
            // from the thread answering it (on a busy two-core node, ~40 % of the startup time). The
            // host is needed only from init on, which lightningd sends after every plugin's manifest.
            // Bounded, for a plugin started by hand that is never sent getmanifest.
            server.ManifestAnswered.Wait(ManifestHeadStart);
        }

        var inner = Inner;
        ((IConfigurationBuilder)inner.Configuration).Add(optionsSource);
        var services = inner.Services;
        services.AddSingleton(definition);
        services.AddSingleton(streams);
        services.AddSingleton(new PluginLoop(server, running));
        services.AddSingleton(writer);
        services.AddSingleton(context);
        services.AddSingleton(_ => new LightningClient(
            context.PluginName,
            async ct => (await context.Initialized.WaitAsync(ct).ConfigureAwait(false)).RpcPath));
        services.AddSingleton<ILightningClient>(sp => sp.GetRequiredService<LightningClient>());
        services.AddSingleton<ICustomMessageSender>(sp => sp.GetRequiredService<LightningClient>());
        services.AddSingleton<IPluginNotifier>(sp => new PluginNotifier(writer, definition));
        services.AddSingleton<ILoggerProvider>(new ClnLoggerProvider(writer));

        // Ours first, so the loop answers getmanifest even if a user's hosted service starts slowly,
        // and user settings (registered earlier, applied later) win over these defaults.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, PluginHostedService>());
        services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<HostOptions>>(
            new ConfigureOptions<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1))));
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        if (!processStdio)
        {
            services.AddSingleton<IHostLifetime, InProcessLifetime>();
        }

        return new ClnPlugin(inner.Build());
    }

    private HostApplicationBuilder CreateInner()
    {
        var inner = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = _args,
            ApplicationName = _applicationName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        inner.Logging.SetMinimumLevel(LogLevel.Information);
        inner.Logging.AddFilter("Microsoft", LogLevel.Warning);
        inner.Services.AddOptions<CustomMessageQueueOptions>();
        return inner;
    }

    private ClnPluginBuilder AddMessageHandler(MessageHandlerEntry entry)
    {
        if (_messageHandlers.Any(h => h.MessageType == entry.MessageType))
        {
            throw new InvalidOperationException($"A handler for message type {entry.MessageType} is already registered.");
        }

        _messageHandlers.Add(entry);
        return this;
    }

    private static void ValidateName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"{what} \"name\" must be lowercase alphanumeric, plus _ or - (got '{name}').", nameof(name));
        }
    }

    internal static string FeaturePlace(FeatureBitsKind kind) => kind switch
    {
        FeatureBitsKind.Init => "init",
        FeatureBitsKind.Node => "node",
        FeatureBitsKind.Channel => "channel",
        FeatureBitsKind.Invoice => "invoice",
        FeatureBitsKind.Bolt12Offer => "bolt12_offer",
        FeatureBitsKind.Bolt12InvoiceRequest => "bolt12_invreq",
        FeatureBitsKind.Bolt12Invoice => "bolt12_invoice",
        FeatureBitsKind.ChannelType => "channel_type",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A BOLT #9 bitmap as big-endian hex: bit 0 is the least significant bit of the last byte.</summary>
    internal static string FeatureHex(IEnumerable<int> bits)
    {
        var list = bits.ToArray();
        int length = (list.Max() / 8) + 1;
        var bytes = new byte[length];
        foreach (var bit in list)
        {
            bytes[length - 1 - (bit / 8)] |= (byte)(1 << (bit % 8));
        }

        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// lightningd's rule for option and method names: <c>[0-9a-z_-]+</c>. A loop, not a regular
    /// expression: names are checked before <c>getmanifest</c> is answered, and loading the regex
    /// engine there costs startup time.
    /// </summary>
    private static bool IsValidName(string name)
    {
        foreach (char c in name)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'z') or '_' or '-'))
            {
                return false;
            }
        }

        return name.Length > 0;
    }
}
