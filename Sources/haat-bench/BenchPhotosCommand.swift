import ArgumentParser
import Foundation
import HaatCore
import HaatImages

/// `haat bench photos`: the stand-ins for phone pictures that `make bench` makes
/// responsive variants of: JPEGs of 2 to 4 megapixels, each an enlargement of one of the
/// sample photographs with its own grain, so no two are alike.
struct BenchPhotos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "photos", abstract: "Write distinct 2–4 megapixel JPEGs for the image benchmark.")

    @Option(help: "How many pictures.")
    var count: Int = 1000
    @Option(help: "A folder searched (with its subfolders) for the .jpg photographs to enlarge.")
    var from: String = "content/creators"
    @Option(help: "Where the pictures are written as photo-0.jpg, photo-1.jpg, …")
    var out: String

    func run() async throws {
        let sources = try photographs(in: URL(fileURLWithPath: from)).map { url -> (data: Data, info: ImageInfo) in
            let data = try Data(contentsOf: url)
            guard let info = ImageInfo.read(data) else { throw ValidationError("\(url.path) is not a readable image") }
            return (data, info)
        }
        guard !sources.isEmpty else { throw ValidationError("no .jpg photographs under \(from)") }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let started = Date()
        // Megapixels spread evenly from 2 to 4 over the pictures.
        let written = ConcurrentMap.map(Array(0..<count)) { index -> Result<Int, Error> in
            Result {
                let source = sources[index % sources.count]
                let megapixels = 2.0 + 2.0 * Double(index % 101) / 100
                let scale = (megapixels * 1_000_000 / Double(source.info.width * source.info.height)).squareRoot()
                let picture = try SyntheticImage.grainyEnlargement(of: source.data, scale: scale, seed: index + 1)
                try picture.write(to: folder.appendingPathComponent("photo-\(index).jpg"))
                return picture.count
            }
        }
        let bytes = try written.map { try $0.get() }.reduce(0, +)
        print(String(format: "wrote %d pictures of 2–4 megapixels (%.1f MB) to %@ in %.1f s", count, Double(bytes) / 1_000_000, out,
                     Date().timeIntervalSince(started)))
    }

    private func photographs(in folder: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw ValidationError("no such folder: \(folder.path)")
        }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension.lowercased() == "jpg" }.sorted { $0.path < $1.path }
    }
}
