#include "service/iam/qr_png.h"

#include <qrencode.h>
#include <zlib.h>

#include <memory>

namespace iam::service {
namespace {

constexpr int kScale = 4;
constexpr int kQuietZone = 4;

void PutBigEndian32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// A PNG chunk: length, type, data, CRC-32 of type and data.
void PutChunk(std::string& out, const char type[5], const std::string& data) {
  PutBigEndian32(out, static_cast<uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  out += body;
  PutBigEndian32(out, static_cast<uint32_t>(
                          crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

}  // namespace

Result<std::string> QrCodePng(std::string_view text) {
  std::string input(text);  // libqrencode wants a NUL-terminated string
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                               QRcode_free);
  if (!qr) return Internal("QR encoding failed");
  const int modules = qr->width + 2 * kQuietZone;
  const int side = modules * kScale;
  // Raw scanlines: a filter byte (0, none) then one gray byte per pixel.
  std::string raw;
  raw.reserve(static_cast<size_t>(side) * (side + 1));
  for (int y = 0; y < side; ++y) {
    raw.push_back(0);
    const int my = y / kScale - kQuietZone;
    for (int x = 0; x < side; ++x) {
      const int mx = x / kScale - kQuietZone;
      bool dark = my >= 0 && my < qr->width && mx >= 0 && mx < qr->width && (qr->data[my * qr->width + mx] & 1);
      raw.push_back(dark ? 0 : static_cast<char>(0xff));
    }
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION) != Z_OK) {
    return Internal("PNG compression failed");
  }
  packed.resize(packed_size);

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  PutBigEndian32(header, static_cast<uint32_t>(side));
  PutBigEndian32(header, static_cast<uint32_t>(side));
  header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit depth, grayscale, deflate, no filter, no interlace
  PutChunk(png, "IHDR", header);
  PutChunk(png, "IDAT", packed);
  PutChunk(png, "IEND", std::string());
  return png;
}

}  // namespace iam::service
