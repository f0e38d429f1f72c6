using Cln.ProtocolExtensions.Plugin;
using MyPlugin;

// lightningd starts this program: lightningd --plugin=/path/to/myplugin
// or, at runtime:                lightning-cli plugin start /path/to/myplugin
var builder = ClnPlugin.CreateBuilder(args);
builder.AddMyPlugin();
await builder.Build().RunAsync();
