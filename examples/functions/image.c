/* Image operations on RGBA pixels (4 bytes each, row-major):
 *   grayscale, blur (3x3 box): func(img: list<u8>, width: u32, height: u32) -> list<u8>
 *   rotate90 (clockwise):      func(img: list<u8>, width: u32, height: u32) -> list<u8>
 *   crop: func(img: list<u8>, width: u32, height: u32, x: u32, y: u32, w: u32, h: u32) -> list<u8>
 * A size that does not match width*height*4 (or a crop outside the image) traps. */
#include "cabi.h"

static cabi_list *finish(uint8_t *in, size_t in_len, uint8_t *out, size_t len) {
  cabi_free(in, in_len);
  cabi_ret_list.ptr = out;
  cabi_ret_list.len = len;
  return &cabi_ret_list;
}

static uint8_t *alloc_checked(size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  if (!p) abort();
  return p;
}

static void check_size(size_t len, uint32_t w, uint32_t h) {
  if ((uint64_t)w * h * 4 != len) __builtin_trap();
}

EXPORT("grayscale")
cabi_list *grayscale(uint8_t *img, size_t len, uint32_t w, uint32_t h) {
  check_size(len, w, h);
  uint8_t *out = alloc_checked(len);
  for (size_t i = 0; i < len; i += 4) {
    /* ITU-R BT.601 luma in integer arithmetic: deterministic everywhere. */
    uint32_t y = (299u * img[i] + 587u * img[i + 1] + 114u * img[i + 2] + 500u) / 1000u;
    out[i] = out[i + 1] = out[i + 2] = (uint8_t)y;
    out[i + 3] = img[i + 3];
  }
  return finish(img, len, out, len);
}

EXPORT("blur")
cabi_list *blur(uint8_t *img, size_t len, uint32_t w, uint32_t h) {
  check_size(len, w, h);
  uint8_t *out = alloc_checked(len);
  for (uint32_t y = 0; y < h; y++)
    for (uint32_t x = 0; x < w; x++)
      for (int c = 0; c < 4; c++) {
        uint32_t sum = 0, n = 0;
        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++) {
            int64_t yy = (int64_t)y + dy, xx = (int64_t)x + dx;
            if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
            sum += img[((size_t)yy * w + (size_t)xx) * 4 + c];
            n++;
          }
        out[((size_t)y * w + x) * 4 + c] = (uint8_t)((sum + n / 2) / n);
      }
  return finish(img, len, out, len);
}

EXPORT("rotate90")
cabi_list *rotate90(uint8_t *img, size_t len, uint32_t w, uint32_t h) {
  check_size(len, w, h);
  uint8_t *out = alloc_checked(len);
  /* The result is h wide and w high: source (x, y) goes to (h - 1 - y, x). */
  for (uint32_t y = 0; y < h; y++)
    for (uint32_t x = 0; x < w; x++)
      memcpy(out + ((size_t)x * h + (h - 1 - y)) * 4, img + ((size_t)y * w + x) * 4, 4);
  return finish(img, len, out, len);
}

EXPORT("crop")
cabi_list *crop(uint8_t *img, size_t len, uint32_t w, uint32_t h, uint32_t cx, uint32_t cy,
                uint32_t cw, uint32_t ch) {
  check_size(len, w, h);
  if ((uint64_t)cx + cw > w || (uint64_t)cy + ch > h) __builtin_trap();
  size_t out_len = (size_t)cw * ch * 4;
  uint8_t *out = alloc_checked(out_len);
  for (uint32_t y = 0; y < ch; y++)
    memcpy(out + (size_t)y * cw * 4, img + ((size_t)(cy + y) * w + cx) * 4, (size_t)cw * 4);
  return finish(img, len, out, out_len);
}

#define POST(name) \
  EXPORT("cabi_post_" #name) void cabi_post_##name(cabi_list *ret) { free(ret->ptr); }
POST(grayscale)
POST(blur)
POST(rotate90)
POST(crop)
