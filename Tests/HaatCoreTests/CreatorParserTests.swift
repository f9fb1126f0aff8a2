import Foundation
import Testing
@testable import HaatCore

/// Every validation rule of a creator's front matter, each with the exact line it
/// must be reported on. Inputs are written inline: line 1 is the opening `---`.
struct CreatorParserTests {
    static let catalog = Catalog(
        site: SiteConfig(title: "Test", baseURL: "https://haat.example"),
        categories: [
            Category(slug: Slug("cakes")!, name: "Cakes", description: "", icon: "cake"),
            Category(slug: Slug("mehendi")!, name: "Mehendi", description: "", icon: "henna"),
        ],
        cities: [City(slug: Slug("pune")!, name: "Pune", state: "Maharashtra", localities: ["Kothrud", "Baner"])])

    static let valid = """
        ---
        name: Sugar Bloom
        category: cakes
        city: pune
        area: Kothrud
        since: 2019
        languages: [Marathi, English]
        account: Owner@Example.com
        contact:
          phone: "+91 50000 12345"
          whatsapp: "098220 12345"
          email: hello@sugar.example
        services:
          - title: Birthday cake
            price_from: 800
            description: One kilo.
        portfolio:
          - image: cake-1.jpg
            caption: Unicorn cake
        tags: [Eggless, "Birthday Cakes"]
        ---
        We bake **eggless** cakes.
        """

    func parse(_ text: String, images: Set<String> = ["cake-1.jpg"], checkImage: (String) -> String? = { _ in nil }) -> Result<Creator, ContentErrors> {
        CreatorParser(catalog: Self.catalog, currentYear: 2026)
            .parse(text: text, slug: Slug("sugar-bloom")!, path: "content/creators/sugar-bloom/index.md", imageNames: images, checkImage: checkImage)
    }

    /// Replaces one line of the valid file and returns the single diagnostic it causes.
    func problems(replacing old: String, with new: String) -> [String] {
        let text = Self.valid.replacingOccurrences(of: old, with: new)
        #expect(text != Self.valid, "the test's replacement did not apply")
        guard case .failure(let errors) = parse(text) else { return [] }
        return errors.diagnostics.map { "\($0.line): \($0.message)" }
    }

    @Test func validProfileParsesIntoDomainValues() throws {
        let creator = try parse(Self.valid).get()
        #expect(creator.name == "Sugar Bloom")
        #expect(creator.categories == [Slug("cakes")!])
        #expect(creator.city.rawValue == "pune")
        #expect(creator.area == "Kothrud")
        #expect(creator.since == 2019)
        #expect(creator.account.value == "owner@example.com")
        #expect(creator.contact.phone.e164 == "+915000012345")
        #expect(creator.contact.whatsapp?.e164 == "+919822012345")
        #expect(creator.services == [Service(title: "Birthday cake", priceFrom: Money(rupees: 800), description: "One kilo.")])
        #expect(creator.portfolio == [PortfolioItem(image: "cake-1.jpg", caption: "Unicorn cake")])
        #expect(creator.tags.map(\.description) == ["eggless", "birthday-cakes"])
        #expect(creator.story == "We bake **eggless** cakes.")
    }

    @Test func unknownKeyGetsDidYouMeanHint() {
        #expect(problems(replacing: "category: cakes", with: "categroy: cakes") == [
            "3: unknown key \"categroy\" in front matter (did you mean \"category\"?)",
            "2: front matter is missing \"category\"",
        ].sorted())
    }

    @Test func unknownCategoryAndCityAreReportedWithHints() {
        #expect(problems(replacing: "category: cakes", with: "category: cake") == ["3: unknown category \"cake\" (did you mean \"cakes\"?): use a key of categories.yml"])
        #expect(problems(replacing: "city: pune", with: "city: mumbai") == ["4: unknown city \"mumbai\": use a key of cities.yml"])
    }

    @Test func areaMustBeALocalityOfTheCity() {
        #expect(problems(replacing: "area: Kothrud", with: "area: Kothrod") == ["5: area \"Kothrod\" is not a locality of pune in cities.yml (did you mean \"Kothrud\"?)"])
    }

    @Test func sinceMustBeAPlausibleYear() {
        #expect(problems(replacing: "since: 2019", with: "since: 2031") == ["6: since must be between 1900 and 2026, not 2031"])
        #expect(problems(replacing: "since: 2019", with: "since: long ago") == ["6: since must be a year such as 2019, not \"long ago\""])
    }

    @Test func pricesMustBePositiveWholeRupees() {
        #expect(problems(replacing: "price_from: 800", with: "price_from: 0") == ["15: price_from must be between 1 and 10000000, not 0"])
        #expect(problems(replacing: "price_from: 800", with: "price_from: 799.5") == ["15: price_from must be a whole number of rupees such as 2500, not \"799.5\""])
        #expect(problems(replacing: "price_from: 800", with: "price_from: \"800\"") == ["15: price_from must be a whole number of rupees such as 2500, not \"800\""])
    }

    @Test func phoneAndEmailFormats() {
        #expect(problems(replacing: "phone: \"+91 50000 12345\"", with: "phone: call me") == ["10: contact.phone is not a phone number: write it like \"+91 98220 12345\""])
        #expect(problems(replacing: "account: Owner@Example.com", with: "account: owner-at-example") == ["8: account is not an email address: \"owner-at-example\""])
        #expect(problems(replacing: "email: hello@sugar.example", with: "email: hello") == ["12: contact.email is not an email address: \"hello\""])
    }

    @Test func imagesMustExistInTheBundleAndBeImages() {
        #expect(problems(replacing: "image: cake-1.jpg", with: "image: cake-2.jpg") == ["18: portfolio image \"cake-2.jpg\" does not exist in the bundle (did you mean \"cake-1.jpg\"?)"])
        #expect(problems(replacing: "image: cake-1.jpg", with: "image: ../other/cake.jpg") == ["18: portfolio image \"../other/cake.jpg\" must be a file name beside index.md, not a path"])
        #expect(problems(replacing: "image: cake-1.jpg", with: "image: cake-1.gif") == ["18: portfolio image \"cake-1.gif\" must be a .jpg, .jpeg, .png or .webp file"])
        guard case .failure(let errors) = parse(Self.valid, checkImage: { _ in "is not a JPEG, PNG or WebP image" }) else {
            Issue.record("an undecodable image must be an error")
            return
        }
        #expect(errors.diagnostics.map(\.description) == ["content/creators/sugar-bloom/index.md:18: portfolio image \"cake-1.jpg\" is not a JPEG, PNG or WebP image"])
    }

    @Test func tagsAndCategoriesRules() {
        #expect(problems(replacing: "tags: [Eggless, \"Birthday Cakes\"]", with: "tags: [ok, \"!\"]") == ["20: tag \"!\" must be 2 to 64 letters a-z, digits or '-' (spaces become '-')"])
        #expect(problems(replacing: "category: cakes", with: "category: cakes\ncategories: [cakes]") == ["4: use either \"category\" or \"categories\", not both"])
        #expect(problems(replacing: "category: cakes", with: "categories: [cakes, mehendi, cakes]") == ["3: category \"cakes\" is listed twice"])
    }

    @Test func missingRequiredFieldsAreEachReported() {
        let text = """
            ---
            city: pune
            ---
            """
        guard case .failure(let errors) = parse(text) else {
            Issue.record("expected errors")
            return
        }
        let messages = errors.diagnostics.map(\.message)
        for key in ["name", "category", "account", "contact", "services"] {
            #expect(messages.contains("front matter is missing \"\(key)\""), "missing \(key) must be reported")
        }
    }

    @Test func yamlSyntaxErrorsCarryTheirLine() {
        let text = Self.valid.replacingOccurrences(of: "since: 2019", with: "since: [2019")
        guard case .failure(let errors) = parse(text) else {
            Issue.record("expected a YAML error")
            return
        }
        #expect(errors.diagnostics.count == 1)
        #expect(errors.diagnostics[0].message.hasPrefix("invalid YAML"))
        #expect((6...8).contains(errors.diagnostics[0].line))
    }

    @Test func duplicateKeysAreErrors() {
        let errors = problems(replacing: "since: 2019", with: "since: 2019\nname: Again")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("duplicate key \"name\"") == true)
    }

    @Test func frontMatterMustBePresentAndClosed() {
        guard case .failure(let missing) = parse("# Just markdown") , case .failure(let unclosed) = parse("---\nname: x\n") else {
            Issue.record("expected errors")
            return
        }
        #expect(missing.description == "content/creators/sugar-bloom/index.md:1: the file must start with front matter: a line \"---\", YAML, then another \"---\"")
        #expect(unclosed.description.contains("front matter is not closed"))
    }
}
