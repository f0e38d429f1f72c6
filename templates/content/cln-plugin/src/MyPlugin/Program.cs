using Cln.ProtocolExtensions.Plugin;
using MyPlugin;

// lightningd starts this program: lightningd --plugin=/path/to/myplugin
// or, at runtime:                lightning-cli plugin start /path/to/myplugin
var builder = ClnPlugin.CreateBuilder(args);
builder.Dynamic = true; // `lightning-cli plugin start` may load it on a running node
builder.AddMyPlugin();
await builder.Build().RunAsync();
