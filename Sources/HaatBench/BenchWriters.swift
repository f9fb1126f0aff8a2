import Foundation

/// Writes the synthetic content as a Haat content folder and as a Hugo site.
public enum BenchWriters {
    /// - Parameter images: a folder with `p1.jpg` … `p6.jpg`, hard-linked into every bundle.
    public static func writeHaat(_ creators: [SyntheticContent.Creator], to root: URL, images: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root.appendingPathComponent("creators"), withIntermediateDirectories: true)
        try Data("""
            title: Haat Bench
            base_url: https://haat.example
            api_url: /api/v1
            language: en
            free_contacts: 2
            plans:
              - {id: month, name: "One month", amount_paise: 9900, period_days: 30}

            """.utf8).write(to: root.appendingPathComponent("site.yml"))
        let categories = SyntheticContent.categoryNames.enumerated().map { index, name in
            "\(SyntheticContent.categorySlug(index)): {name: \(name), description: \(name) by local teams, icon: tag}"
        }
        try Data((categories.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("categories.yml"))
        let cities = SyntheticContent.cityNames.enumerated().map { index, name in
            "\(SyntheticContent.citySlug(index)): {name: \(name), state: \(SyntheticContent.state(index)), localities: [\(SyntheticContent.localities(index).joined(separator: ", "))]}"
        }
        try Data((cities.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("cities.yml"))
        for (index, creator) in creators.enumerated() {
            let folder = root.appendingPathComponent("creators/\(creator.slug)")
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            var text = "---\nname: \(creator.name)\ncategory: \(SyntheticContent.categorySlug(creator.category))\n"
            text += "city: \(SyntheticContent.citySlug(creator.city))\narea: \(creator.area)\nsince: \(creator.since)\n"
            text += "languages: [\(SyntheticContent.languages(index))]\naccount: \(creator.slug)@example.com\ncontact:\n  phone: \"\(creator.phone)\"\n"
            text += "services:\n" + creator.services.map { "  - title: \($0.title)\n    price_from: \($0.price)\n    description: \($0.description)\n" }.joined()
            text += "portfolio:\n" + (1...6).map { "  - image: p\($0).jpg\n    caption: Work sample \($0)\n" }.joined()
            text += "tags: [\(creator.tags.joined(separator: ", "))]\n---\n\(creator.story)\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent("index.md"))
            try linkImages(from: images, into: folder)
        }
    }

    /// The same creators as a Hugo site; `layouts` holds the equivalent templates and
    /// config, `theme` the Haat theme whose assets and icons both sites publish.
    public static func writeHugo(_ creators: [SyntheticContent.Creator], to root: URL, images: URL, layouts: URL, theme: URL) throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(at: root)
        try fileManager.createDirectory(at: root.appendingPathComponent("content/creators"), withIntermediateDirectories: true)
        for item in ["hugo.yaml", "layouts"] {
            try fileManager.copyItem(at: layouts.appendingPathComponent(item), to: root.appendingPathComponent(item))
        }
        // Hugo Pipes reads app.css, app.js, search.js and icons/*.svg from assets/.
        try fileManager.copyItem(at: theme.appendingPathComponent("assets"), to: root.appendingPathComponent("assets"))
        try fileManager.copyItem(at: theme.appendingPathComponent("icons"), to: root.appendingPathComponent("assets/icons"))
        for page in ["account", "dashboard", "admin", "search"] {
            let folder = root.appendingPathComponent("content/\(page)")
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("---\ntitle: \(page.capitalized)\ntype: page\nnoindex: true\n---\n".utf8).write(to: folder.appendingPathComponent("index.md"))
        }
        for (rank, creator) in creators.enumerated() {
            let folder = root.appendingPathComponent("content/creators/\(creator.slug)")
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            let category = SyntheticContent.categorySlug(creator.category)
            let city = SyntheticContent.citySlug(creator.city)
            var text = "---\ntitle: \"\(creator.name)\"\nweight: \(rank + 1)\ncategories: [\(category)]\ncities: [\(city)]\n"
            text += "locals: [\(category)-in-\(city)]\ntags: [\(creator.tags.joined(separator: ", "))]\narea: \(creator.area)\n"
            text += "city_name: \(SyntheticContent.cityNames[creator.city])\nstate: \(SyntheticContent.state(creator.city))\n"
            text += "category_names: [\"\(SyntheticContent.categoryNames[creator.category])\"]\nsince: \(creator.since)\nlanguages: [\(SyntheticContent.languages(rank))]\n"
            text += "services:\n" + creator.services.map { "  - {title: \"\($0.title)\", price_from: \($0.price), description: \"\($0.description)\"}\n" }.joined()
            text += "portfolio:\n" + (1...6).map { "  - {image: \"p\($0).jpg\", caption: \"Work sample \($0)\"}\n" }.joined()
            text += "---\n\(creator.story)\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent("index.md"))
            try linkImages(from: images, into: folder)
        }
    }

    static func linkImages(from images: URL, into folder: URL) throws {
        for number in 1...6 {
            let source = images.appendingPathComponent("p\(number).jpg")
            let target = folder.appendingPathComponent("p\(number).jpg")
            if link(source.path, target.path) != 0 { try FileManager.default.copyItem(at: source, to: target) }
        }
    }
}
