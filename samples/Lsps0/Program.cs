using Cln.ProtocolExtensions.Plugin;
using Lsps0;

// Started by lightningd: --plugin=/path/to/lsps0 [--lsps0-role=server --lsps0-protocols=1,2]
var builder = ClnPlugin.CreateBuilder(args);
builder.Dynamic = true; // `lightning-cli plugin start` may load it on a running node
builder.AddLsps0();
await builder.Build().RunAsync();
