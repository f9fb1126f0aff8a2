import Foundation
import Yams

/// Parses and validates a creator's `index.md` against DESIGN.md's content format.
/// Every problem is reported with its file line; a creator is returned only when there
/// are none.
public struct CreatorParser: Sendable {
    public static let allowedKeys = [
        "name", "category", "categories", "city", "area", "since", "languages", "account",
        "contact", "services", "portfolio", "tags",
    ]
    static let contactKeys = ["phone", "whatsapp", "email"]
    static let serviceKeys = ["title", "price_from", "description"]
    static let portfolioKeys = ["image", "caption"]
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]
    // The most each list may hold: far more than a real profile needs, small enough that
    // nothing built from a profile grows out of hand (docs/content.md lists them).
    /// Portfolio pictures, and the image files the profile editor lets a profile keep.
    public static let maxImages = 30
    public static let maxServices = 20
    public static let maxTags = 30
    public static let maxLanguages = 12
    public static let maxCategories = 3

    public let catalog: Catalog
    /// The current year: `since` may not lie in the future.
    public let currentYear: Int

    public init(catalog: Catalog, currentYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())) {
        self.catalog = catalog
        self.currentYear = currentYear
    }

    /// - Parameters:
    ///   - text: the whole `index.md`.
    ///   - slug: the bundle's folder name (already checked to be a slug).
    ///   - path: what diagnostics call the file.
    ///   - imageNames: the files that exist beside `index.md`.
    ///   - checkImage: looks at a referenced image's bytes; returns what is wrong with it, if anything.
    public func parse(text: String, slug: Slug, path: String, imageNames: Set<String>,
                      checkImage: (String) -> String? = { _ in nil }) -> Result<Creator, ContentErrors> {
        let collector = DiagnosticCollector(path: path, lineOffset: 1)
        let frontMatter: FrontMatter
        switch FrontMatter.split(text) {
        case .success(let split): frontMatter = split
        case .failure(.missingOpening):
            return .failure(ContentErrors([ContentDiagnostic(path: path, line: 1, message: "the file must start with front matter: a line \"---\", YAML, then another \"---\"")]))
        case .failure(.missingClosing):
            return .failure(ContentErrors([ContentDiagnostic(path: path, line: 1, message: "front matter is not closed: add a line \"---\" after the YAML")]))
        }
        guard let root = collector.compose(frontMatter.yaml) else {
            if collector.diagnostics.isEmpty { collector.report("front matter is empty", line: 1) }
            return .failure(ContentErrors(collector.diagnostics))
        }
        guard let fields = MappingReader(root, context: "front matter", allowed: Self.allowedKeys, collector: collector,
                                         refusingEmptyValues: true) else {
            return .failure(ContentErrors(collector.diagnostics))
        }

        let name = fields.string("name", required: true, maxLength: 80)
        let categories = readCategories(fields)
        let city = readKey("city", in: fields, known: catalog.cities.map(\.slug), what: "city", file: "cities.yml")
        let area = readArea(fields, city: city)
        let since = fields.int("since", range: 1900...currentYear, meaning: "a year such as 2019")
        let languages = fields.strings("languages", maxLength: 40, limit: (Self.maxLanguages, "languages"))
        let account = readEmail("account", in: fields, required: true)
        let contact = readContact(fields)
        let services = readServices(fields)
        let portfolio = readPortfolio(fields, imageNames: imageNames, checkImage: checkImage)
        let tags = readTags(fields)
        reportControlCharacters(inStoryOf: frontMatter, collector: collector)
        if let account, let contact {
            reportPrivateValues(of: PrivacyGuard(account: account, contact: contact), in: root, story: frontMatter, slug: slug, collector: collector)
        }

        guard collector.diagnostics.isEmpty, let name, let categories, let city, let account, let contact, let services else {
            return .failure(ContentErrors(collector.diagnostics))
        }
        return .success(Creator(
            slug: slug, name: name, categories: categories, city: city, area: area, since: since,
            languages: languages, account: account, contact: contact, services: services,
            portfolio: portfolio, tags: tags, story: frontMatter.body))
    }

    private func readCategories(_ fields: MappingReader) -> [Slug]? {
        let known = catalog.categories.map(\.slug)
        switch (fields.has("category"), fields.has("categories")) {
        case (true, true):
            fields.collector.report("use either \"category\" or \"categories\", not both", at: fields.node("categories"))
            return nil
        case (true, false):
            return readKey("category", in: fields, known: known, what: "category", file: "categories.yml").map { [$0] }
        case (false, true):
            guard let items = fields.list("categories", required: true, limit: (Self.maxCategories, "categories")) else { return nil }
            guard !items.isEmpty else {
                fields.collector.report("categories must list 1 to \(Self.maxCategories) categories", at: fields.node("categories"))
                return nil
            }
            var result: [Slug] = []
            for item in items {
                guard let slug = resolve(item, known: known, what: "category", file: "categories.yml", collector: fields.collector) else { continue }
                if result.contains(slug) {
                    fields.collector.report("category \"\(slug)\" is listed twice", at: item)
                } else {
                    result.append(slug)
                }
            }
            return result.count == items.count ? result : nil
        case (false, false):
            fields.missing("category")
            return nil
        }
    }

    private func readKey(_ key: String, in fields: MappingReader, known: [Slug], what: String, file: String) -> Slug? {
        guard let node = fields.node(key) else {
            fields.missing(key)
            return nil
        }
        return resolve(node, known: known, what: what, file: file, collector: fields.collector)
    }

    private func resolve(_ node: Node, known: [Slug], what: String, file: String, collector: DiagnosticCollector) -> Slug? {
        guard let text = node.scalar?.string else {
            collector.report("\(what) must be a key of \(file)", at: node)
            return nil
        }
        if let slug = Slug(text), known.contains(slug) { return slug }
        let hint = Suggestion.hint(for: text, in: known.map(\.rawValue))
        collector.report("unknown \(what) \"\(text)\"\(hint): use a key of \(file)", at: node)
        return nil
    }

    private func readArea(_ fields: MappingReader, city: Slug?) -> String? {
        guard let area = fields.string("area", maxLength: 60) else { return nil }
        guard let city, let localities = catalog.city(city)?.localities, !localities.isEmpty else { return area }
        if let match = localities.first(where: { $0.caseInsensitiveCompare(area) == .orderedSame }) { return match }
        let hint = Suggestion.hint(for: area, in: localities)
        fields.collector.report("area \"\(area)\" is not a locality of \(city) in cities.yml\(hint)", at: fields.node("area"))
        return nil
    }

    private func readEmail(_ key: String, in fields: MappingReader, required: Bool) -> EmailAddress? {
        guard let text = fields.string(key, required: required, maxLength: 254) else { return nil }
        guard let email = EmailAddress(text) else {
            fields.collector.report("\(fields.context == "front matter" ? "" : "\(fields.context).")\(key) is not an email address: \"\(text)\"", at: fields.node(key))
            return nil
        }
        return email
    }

    private func readPhone(_ key: String, in fields: MappingReader, required: Bool) -> Phone? {
        guard let text = fields.string(key, required: required, maxLength: 30) else { return nil }
        guard let phone = Phone(text) else {
            fields.collector.report("contact.\(key) is not a phone number: write it like \(Phone.example)", at: fields.node(key))
            return nil
        }
        return phone
    }

    private func readContact(_ fields: MappingReader) -> ContactDetails? {
        guard let node = fields.node("contact") else {
            fields.missing("contact")
            return nil
        }
        guard let contact = MappingReader(node, context: "contact", allowed: Self.contactKeys, collector: fields.collector,
                                          refusingEmptyValues: true) else { return nil }
        let phone = readPhone("phone", in: contact, required: true)
        let whatsapp = readPhone("whatsapp", in: contact, required: false)
        let email = readEmail("email", in: contact, required: false)
        return phone.map { ContactDetails(phone: $0, whatsapp: whatsapp, email: email) }
    }

    private func readServices(_ fields: MappingReader) -> [Service]? {
        guard let items = fields.list("services", required: true, limit: (Self.maxServices, "services")) else { return nil }
        guard !items.isEmpty else {
            fields.collector.report("services must list 1 to \(Self.maxServices) services", at: fields.node("services"))
            return nil
        }
        var services: [Service] = []
        for (index, item) in items.enumerated() {
            guard let service = MappingReader(item, context: "services[\(index + 1)]", allowed: Self.serviceKeys, collector: fields.collector,
                                              refusingEmptyValues: true) else { continue }
            let title = service.string("title", required: true, maxLength: 80)
            let price = service.int("price_from", required: true, range: 1...10_000_000, meaning: "a whole number of rupees such as 2500")
            let description = service.string("description", maxLength: 500)
            if let title, let price {
                services.append(Service(title: title, priceFrom: Money(rupees: price), description: description))
            }
        }
        return services.count == items.count ? services : nil
    }

    private func readPortfolio(_ fields: MappingReader, imageNames: Set<String>, checkImage: (String) -> String?) -> [PortfolioItem] {
        guard let items = fields.list("portfolio", limit: (Self.maxImages, "images")) else { return [] }
        var portfolio: [PortfolioItem] = []
        for (index, item) in items.enumerated() {
            guard let entry = MappingReader(item, context: "portfolio[\(index + 1)]", allowed: Self.portfolioKeys, collector: fields.collector,
                                            refusingEmptyValues: true) else { continue }
            let caption = entry.string("caption", maxLength: 200)
            guard let image = entry.string("image", required: true, maxLength: 100) else { continue }
            let fileExtension = (image as NSString).pathExtension.lowercased()
            if image.contains("/") || image.contains("\\") || image.hasPrefix(".") {
                fields.collector.report("portfolio image \"\(image)\" must be a file name beside index.md, not a path", at: entry.node("image"))
            } else if !Self.imageExtensions.contains(fileExtension) {
                fields.collector.report("portfolio image \"\(image)\" must be a .jpg, .jpeg, .png or .webp file", at: entry.node("image"))
            } else if !imageNames.contains(image) {
                let hint = Suggestion.hint(for: image, in: imageNames)
                fields.collector.report("portfolio image \"\(image)\" does not exist in the bundle\(hint)", at: entry.node("image"))
            } else if let problem = checkImage(image) {
                fields.collector.report("portfolio image \"\(image)\" \(problem)", at: entry.node("image"))
            } else {
                portfolio.append(PortfolioItem(image: image, caption: caption))
            }
        }
        return portfolio
    }

    private func readTags(_ fields: MappingReader) -> [Tag] {
        guard let items = fields.list("tags", limit: (Self.maxTags, "tags")) else { return [] }
        var tags: [Tag] = []
        var seen: Set<Tag> = []
        for item in items {
            guard let text = item.scalar?.string, !MappingReader.isNull(item), let tag = Tag(text) else {
                fields.collector.report("tag \"\(item.scalar?.string ?? "?")\" must be 2 to 64 letters a-z, digits or '-' (spaces become '-')", at: item)
                continue
            }
            if seen.insert(tag).inserted { tags.append(tag) }
        }
        return tags
    }

    /// The story may hold no control character either (the front matter's are reported
    /// with the YAML).
    private func reportControlCharacters(inStoryOf frontMatter: FrontMatter, collector: DiagnosticCollector) {
        guard let found = ControlCharacters.first(in: frontMatter.body) else { return }
        collector.report("the story contains a control character (\(ControlCharacters.name(found.character))): remove it",
                         fileLine: Self.line(ofOffset: found.offset, in: frontMatter))
    }

    /// Reports the profile's own private contact data wherever the site would publish
    /// it: any front-matter value but the private ones, the story, the folder name. The
    /// build would refuse the page anyway, naming the page and stopping every build
    /// until an admin acted; here the creator is told the line, and the revision is
    /// never recorded.
    private func reportPrivateValues(of privacy: PrivacyGuard, in root: Node, story frontMatter: FrontMatter, slug: Slug,
                                     collector: DiagnosticCollector) {
        func message(_ field: String, _ leak: PrivacyGuard.Leak) -> String {
            switch leak.kind {
            case .phone: "\(field) contains this profile's private phone number (\(leak.hint)): remove it; customers get the number only through the contact button"
            case .email: "\(field) contains this profile's private email (\(leak.hint)): remove it; contact details are never published"
            }
        }
        root.forEachScalar(skippingKeys: ["account", "contact"]) { path, node in
            guard let text = node.scalar?.string, let leak = privacy.firstLeak(in: text) else { return }
            collector.report(message(path.isEmpty ? "a key" : path, leak), at: node)
        }
        if let leak = privacy.firstLeak(in: frontMatter.body) {
            collector.report(message("the story", leak), fileLine: Self.line(ofOffset: leak.offset, in: frontMatter))
        }
        if let leak = privacy.firstLeak(in: slug.rawValue) {
            collector.report(message("the folder name \"\(slug)\"", leak), fileLine: 1)
        }
    }

    /// The file line of a UTF-8 offset in the story.
    private static func line(ofOffset offset: Int, in frontMatter: FrontMatter) -> Int {
        frontMatter.bodyLine + frontMatter.body.utf8.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}
