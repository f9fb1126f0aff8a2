// libvips through pkg-config. Swift cannot call C's variadic functions, so each
// libvips call Haat makes is wrapped here with its options fixed and named.
#include <string.h>
#include <vips/vips.h>

static inline void haat_vips_discard_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void) domain; (void) level; (void) message; (void) data;
}

/// Starts libvips with its warnings silenced: a bad upload is an answer to its sender,
/// not a line on the server's console. A log handler rather than the VIPS_WARNING
/// variable, because setting a variable (setenv) while other threads read the
/// environment is not safe.
static inline int haat_vips_start(void) {
    if (vips_init("haat")) return -1;
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, haat_vips_discard_log, NULL);
    return 0;
}

/// Reads an image's header from memory; pixels are decoded later, on demand (in any
/// order: turning an image upright reads it sideways), and a truncated or corrupt file
/// then fails instead of giving grey pixels.
static inline VipsImage *haat_vips_load(const void *buffer, size_t length) {
    return vips_image_new_from_buffer(buffer, length, "", "fail_on", VIPS_FAIL_ON_ERROR, NULL);
}

/// Turns the image upright by its EXIF orientation (and drops the tag).
static inline int haat_vips_autorotate(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}

/// At most `width` wide, never enlarged, turned upright; JPEGs and WebPs shrink while
/// they load, which is most of the speed.
static inline int haat_vips_thumbnail_buffer(void *buffer, size_t length, VipsImage **out, int width) {
    return vips_thumbnail_buffer(buffer, length, out, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN,
                                 "fail_on", VIPS_FAIL_ON_ERROR, NULL);
}

static inline int haat_vips_thumbnail_image(VipsImage *in, VipsImage **out, int width) {
    return vips_thumbnail_image(in, out, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, NULL);
}

/// A copy of `in` (sharing its pixels) without EXIF, XMP, IPTC, ICC or comments. The
/// savers' own "strip" is not enough: libvips 8.14's WebP saver still writes EXIF.
static inline VipsImage *haat_vips_without_metadata(VipsImage *in) {
    VipsImage *copy = NULL;
    if (vips_copy(in, &copy, NULL)) return NULL;
    gchar **fields = vips_image_get_fields(copy);
    for (int i = 0; fields[i]; i++) {
        const char *name = fields[i];
        if (g_str_has_prefix(name, "exif-") || g_str_has_prefix(name, "xmp-") || g_str_has_prefix(name, "iptc-") ||
            g_str_has_prefix(name, "icc-") || g_str_has_prefix(name, "png-comment") || g_str_has_prefix(name, "jpeg-") ||
            g_str_has_prefix(name, "gif-") || g_str_has_prefix(name, "heif-") || strcmp(name, "orientation") == 0)
            vips_image_remove(copy, name);
    }
    g_strfreev(fields);
    return copy;
}

// Savers: every one writes no metadata at all (camera EXIF often has a GPS position).
static inline int haat_vips_jpegsave(VipsImage *in, void **buffer, size_t *length, int quality) {
    VipsImage *bare = haat_vips_without_metadata(in);
    if (!bare) return -1;
    int failed = vips_jpegsave_buffer(bare, buffer, length, "Q", quality, "strip", TRUE, NULL);
    g_object_unref(bare);
    return failed;
}

/// libvips 8.14's WebP saver keeps its own copy of the image it writes when the
/// pixels fail to come (a WebP that decodes no further than its header): that copy, and
/// the whole pipeline behind it with its decoded frame, is never released (2–45 MB per
/// corrupt upload). So the pixels are made first, where a failure frees everything, and
/// the saver only reads memory; its remaining failure, a side over WebP's limit, is
/// refused before it starts.
static inline int haat_vips_webpsave(VipsImage *in, void **buffer, size_t *length, int quality) {
    if (vips_image_get_width(in) > 16383 || vips_image_get_height(in) > 16383) {
        vips_error("webpsave", "%s", "the image is larger than WebP allows (16383 pixels a side)");
        return -1;
    }
    VipsImage *pixels = vips_image_copy_memory(in);
    if (!pixels) return -1;
    VipsImage *bare = haat_vips_without_metadata(pixels);
    g_object_unref(pixels);
    if (!bare) return -1;
    // Effort 2 of 6: a little larger than the default 4, and a third faster to make.
    int failed = vips_webpsave_buffer(bare, buffer, length, "Q", quality, "strip", TRUE, "effort", 2, NULL);
    g_object_unref(bare);
    return failed;
}

static inline int haat_vips_pngsave(VipsImage *in, void **buffer, size_t *length) {
    VipsImage *bare = haat_vips_without_metadata(in);
    if (!bare) return -1;
    int failed = vips_pngsave_buffer(bare, buffer, length, "strip", TRUE, NULL);
    g_object_unref(bare);
    return failed;
}

/// Puts a transparent image on white, for formats without transparency (JPEG).
static inline int haat_vips_flatten_on_white(VipsImage *in, VipsImage **out) {
    double white[3] = {255, 255, 255};
    VipsArrayDouble *background = vips_array_double_new(white, 3);
    int result = vips_flatten(in, out, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return result;
}

// Made-up images for tests and benchmarks.

/// A smooth grey ramp, lighter with `shade`, as a 3-band image.
static inline int haat_vips_gradient(int width, int height, double shade, VipsImage **out) {
    VipsImage *grey = NULL, *scaled = NULL;
    if (vips_grey(&grey, width, height, NULL)) return -1;
    int failed = vips_linear1(grey, &scaled, 180.0, shade, "uchar", TRUE, NULL);
    g_object_unref(grey);
    if (failed) return -1;
    VipsImage *bands[3] = {scaled, scaled, scaled};
    failed = vips_bandjoin(bands, out, 3, NULL);
    g_object_unref(scaled);
    return failed;
}

/// A photograph enlarged by `scale` with grain added (seeded), so every copy differs
/// and has a photograph's level of detail for the encoders.
static inline int haat_vips_grainy_enlargement(VipsImage *photo, double scale, int seed, VipsImage **out) {
    VipsImage *large = NULL, *noise = NULL, *sum = NULL;
    if (vips_resize(photo, &large, scale, NULL)) return -1;
    if (vips_gaussnoise(&noise, vips_image_get_width(large), vips_image_get_height(large), "sigma", 6.0, "mean", 0.0,
                        "seed", seed, NULL)) { g_object_unref(large); return -1; }
    int failed = vips_add(large, noise, &sum, NULL);
    g_object_unref(large);
    g_object_unref(noise);
    if (failed) return -1;
    failed = vips_cast(sum, out, VIPS_FORMAT_UCHAR, NULL);
    g_object_unref(sum);
    return failed;
}

static inline void haat_vips_unref(VipsImage *image) {
    if (image) g_object_unref(image);
}
