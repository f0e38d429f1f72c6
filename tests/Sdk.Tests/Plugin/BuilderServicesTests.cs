using Cln.ProtocolExtensions.Plugin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// builder.Services keeps plain registrations until the host builder is needed: whatever a caller
/// can observe must be what the host's own collection would show (defaults first, then every
/// registration in order, TryAdd seeing both).
/// </summary>
public class BuilderServicesTests
{
    private interface IThing
    {
        string Name { get; }
    }

    private sealed record Thing(string Name) : IThing;

    private static ClnPluginBuilder NewBuilder()
    {
        var b = ClnPlugin.CreateBuilder([]);
        b.UseStreams(new MemoryStream(), new MemoryStream());
        return b;
    }

    [Fact]
    public async Task Registrations_resolve_in_the_order_they_were_made()
    {
        var b = NewBuilder();
        b.Services.AddSingleton<IThing>(new Thing("a"));
        b.Services.AddSingleton<IThing>(new Thing("b"));
        await using var plugin = b.Build();

        Assert.Equal(["a", "b"], plugin.Services.GetServices<IThing>().Select(t => t.Name));
        Assert.Equal("b", plugin.Services.GetRequiredService<IThing>().Name);
    }

    [Fact]
    public async Task TryAdd_sees_earlier_registrations_and_the_host_defaults()
    {
        var b = NewBuilder();
        b.Services.AddSingleton<IThing>(new Thing("first"));
        b.Services.TryAddSingleton<IThing>(new Thing("second"));
        b.Services.TryAddSingleton(typeof(IHostEnvironment), _ => throw new InvalidOperationException("the host's own must win"));
        Assert.Contains(b.Services, d => d.ServiceType == typeof(IHostEnvironment));
        await using var plugin = b.Build();

        Assert.Equal(["first"], plugin.Services.GetServices<IThing>().Select(t => t.Name));
        Assert.NotNull(plugin.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);
    }

    [Fact]
    public void Registrations_keep_their_place_around_logging_configuration()
    {
        var b = NewBuilder();
        var first = ServiceDescriptor.Singleton<IThing>(new Thing("before logging"));
        b.Services.Add(first);
        b.Logging.AddFilter("Some.Category", LogLevel.Error);
        var second = ServiceDescriptor.Singleton<IThing>(new Thing("after logging"));
        b.Services.Add(second);

        var all = b.Services.ToList();
        int firstAt = all.IndexOf(first);
        int secondAt = all.IndexOf(second);
        Assert.True(firstAt >= 0 && secondAt > firstAt);
        Assert.Contains(all[(firstAt + 1)..secondAt], d => d.ServiceType == typeof(IConfigureOptions<LoggerFilterOptions>));
        Assert.Contains(all[..firstAt], d => d.ServiceType == typeof(IHostEnvironment));
    }
}
