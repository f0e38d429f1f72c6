using Cln.ProtocolExtensions.Plugin;
using PingPong;

// Started by lightningd (--plugin=/path/to/pingpong, or `lightning-cli plugin start /path/to/pingpong`).
var builder = ClnPlugin.CreateBuilder(args);
builder.Dynamic = true; // `lightning-cli plugin start` may load it on a running node
builder.AddPingPong();
await builder.Build().RunAsync();
