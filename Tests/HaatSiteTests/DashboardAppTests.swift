import Foundation
import HaatCore
import Testing
@testable import HaatSite

/// The dashboard as an installable app: its manifest and service worker are written at
/// fixed paths under /dashboard/, and every file they name is one the site has.
struct DashboardAppTests {
    @Test func theManifestAndTheWorkerNameOnlyFilesTheSiteHas() async throws {
        let site = try TestSite(TestSite.config.merging(["content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar \"Bloom\"")]) { $1 })
        try await site.approveAllAndBuild()
        let manifestText = try #require(site.page(DashboardApp.manifestPath))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestText.utf8)) as? [String: Any])
        #expect(manifest["start_url"] as? String == "/dashboard/" && manifest["scope"] as? String == "/dashboard/")
        #expect(manifest["display"] as? String == "standalone" && (manifest["name"] as? String)?.hasSuffix(" for creators") == true)
        let icons = try #require(manifest["icons"] as? [[String: String]])
        #expect(Set(icons.compactMap { $0["sizes"] }) == ["192x192", "512x512"] && icons.contains { $0["purpose"] == "maskable" })
        for icon in icons {
            let path = try #require(icon["src"])
            #expect(path.hasPrefix("/assets/icon-") && site.exists(String(path.dropFirst())), "\(path)")
        }
        let worker = try #require(site.page(DashboardApp.workerPath))
        let shellLine = try #require(worker.split(separator: "\n").first { $0.hasPrefix("var SHELL_FILES = ") })
        let shell = try JSONSerialization.jsonObject(with: Data(shellLine.dropFirst("var SHELL_FILES = ".count).dropLast().utf8)) as! [String]
        #expect(shell.first == "/dashboard/" && shell.count == DashboardApp.shellAssets.count + 1)
        for path in shell.dropFirst() { #expect(site.exists(String(path.dropFirst())), "\(path)") }
        // The worker's cache is named after the theme, so a new theme replaces the shell.
        #expect(worker.contains(#"var SHELL = "haat-dashboard-" + ""#))
        // The dashboard page names the manifest and loads what the worker keeps.
        let dashboard = try #require(site.page("dashboard/index.html"))
        #expect(dashboard.contains(#"<link rel="manifest" href="/dashboard/manifest.webmanifest">"#))
        // Every file the worker keeps is one the page loads, but the notifications' icon.
        for path in shell.dropFirst() where !path.hasPrefix("/assets/icon-192.") { #expect(dashboard.contains(path), "\(path)") }
    }
}
