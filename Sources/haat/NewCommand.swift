import ArgumentParser
import Foundation
import HaatCore

/// `haat new SLUG --name N --category C --city Y --account E`: starts a creator's profile
/// bundle from the template. The next `haat build`, `haat serve` or admin rebuild imports
/// it as a pending revision; nothing goes live until an admin approves it.
struct NewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a creator's profile from the template (pending until approved)."
    )

    @Argument(help: "The profile's folder name: lowercase a-z, 0-9 and -, 2 to 64 characters.")
    var slug: String
    @Option(help: "The business's name.")
    var name: String
    @Option(help: "A category of categories.yml.")
    var category: String
    @Option(help: "A city of cities.yml.")
    var city: String
    @Option(help: "The email of the creator account that will manage the profile.")
    var account: String
    @OptionGroup var content: ContentOptions
    /// Accepted like on every command (API.md); scaffolding needs no store.
    @OptionGroup var store: StoreOptions

    func run() async throws {
        do {
            let folder = content.folder
            guard let slug = Slug(slug) else { throw ValidationError("\(self.slug): a slug is 2 to 64 of a-z, 0-9 and -, such as sugar-bloom") }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard (1...80).contains(trimmed.count) else { throw ValidationError("--name must be 1 to 80 characters") }
            guard let email = EmailAddress(account) else { throw ValidationError("--account must be an email address") }
            let catalog = try folder.loadCatalog().get()
            guard let categorySlug = Slug(category), catalog.category(categorySlug) != nil else {
                throw ValidationError("--category \(category) is not in categories.yml; one of: \(catalog.categories.map(\.slug.rawValue).joined(separator: ", "))")
            }
            guard let citySlug = Slug(city), catalog.city(citySlug) != nil else {
                throw ValidationError("--city \(city) is not in cities.yml; one of: \(catalog.cities.map(\.slug.rawValue).joined(separator: ", "))")
            }
            let bundle = folder.creatorsFolder.appendingPathComponent(slug.rawValue, isDirectory: true)
            guard !FileManager.default.fileExists(atPath: bundle.path) else {
                throw ValidationError("\(folder.displayPath(bundle)) already exists: edit its index.md, or choose another slug")
            }
            let text = ProfileTemplate.text(name: trimmed, category: categorySlug, city: citySlug, account: email)
            let index = bundle.appendingPathComponent("index.md")
            // The template must pass the very validation a build applies.
            if case .failure(let errors) = CreatorParser(catalog: catalog).parse(text: text, slug: slug, path: folder.displayPath(index), imageNames: []) {
                throw errors
            }
            try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: index, options: .atomic)
            progress("created \(folder.displayPath(index)): fill in the number, services and story; it goes live once an admin approves it")
        } catch {
            throw fail(error)
        }
    }
}
