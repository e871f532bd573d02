// A QR code of a short text as a PNG image, for CreateVirtualMFADevice's
// QRCodePNG (an otpauth:// URI that authenticator apps scan).
#pragma once

#include <string>
#include <string_view>

#include "iamd/status.h"

namespace iam::service {

// QrCodePng encodes `text` (byte mode, error correction level M) and returns
// an 8-bit grayscale PNG, 4 pixels per module with a 4-module quiet zone.
// kInternal if libqrencode or zlib fail (text too long for a QR code).
Result<std::string> QrCodePng(std::string_view text);

}  // namespace iam::service
