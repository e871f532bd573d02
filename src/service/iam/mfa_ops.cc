// Virtual MFA devices: create (a random TOTP seed, sealed at rest, shown once
// as Base32 text and as a QR code), enable with two consecutive codes,
// resynchronize, deactivate, delete, list. Tags are in tag_ops.cc.
#include <chrono>
#include <optional>

#include "auth/totp.h"
#include "common/status_macros.h"
#include "crypto/base64.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "service/iam/op_context.h"
#include "service/iam/qr_png.h"
#include "store/ids.h"

namespace iam::service {
namespace {

using nlohmann::json;

constexpr size_t kSeedBytes = 20;  // 160 bits, as RFC 4226 recommends and AWS's 32-character seeds carry
// EnableMFADevice and ResyncMFADevice search this many steps either side of
// now for the two consecutive codes: a device may have drifted further than
// the one step a sign-in tolerates (auth::kTotpDriftSteps).
constexpr int kSyncWindowSteps = 10;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status InvalidCode() {
  return Status(StatusCode::kInvalidAuthenticationCode, "Authentication code for device is not valid.");
}

// The step of AuthenticationCode2 when the two codes are consecutive codes of
// `seed` near now and newer than `last_step`; otherwise InvalidAuthenticationCode.
Result<int64_t> ConsecutiveCodesStep(std::string_view seed, std::string_view code1, std::string_view code2,
                                     int64_t last_step) {
  std::optional<int64_t> first = auth::MatchTotp(seed, code1, NowSeconds(), kSyncWindowSteps);
  if (!first || *first <= last_step) return InvalidCode();
  if (!crypto::ConstantTimeEquals(auth::TotpCode(seed, *first + 1), code2)) return InvalidCode();
  return *first + 1;
}

// The device's TOTP seed, unsealed (kInternal if the ring cannot open it).
Result<std::string> SeedOf(Ctx& c, const store::MfaDevice& d) {
  return c.ring.Open(d.sealed_seed, d.serial_number);
}

json VirtualDeviceJson(Ctx& c, const store::MfaDevice& d) {
  json j = {{"SerialNumber", d.serial_number}};
  if (!d.user_name.empty()) {
    Result<store::User> u = c.store.GetUser(c.account(), d.user_name);
    if (u.ok()) j["User"] = UserJson(*u, false);
  }
  if (d.enable_date) j["EnableDate"] = *d.enable_date;
  if (!d.tags.empty()) j["Tags"] = TagsJson(d.tags);
  return j;
}

Result<json> CreateVirtualMFADevice(Ctx& c) {
  store::NewMfaDevice d;
  d.name = Str(c.in, "VirtualMFADeviceName");
  d.path = Str(c.in, "Path", "/");
  d.tags = TagsIn(c.in);
  const std::string serial = store::Arn(c.account(), "mfa", d.path, d.name);
  const std::string seed = crypto::RandomBytes(kSeedBytes);
  // The serial number is the sealing aad, so a sealed seed cannot be moved to another device.
  IAM_ASSIGN_OR_RETURN(d.sealed_seed, c.ring.Seal(seed, serial));
  IAM_ASSIGN_OR_RETURN(store::MfaDevice device, c.store.CreateVirtualMfaDevice(c.account(), d));
  const std::string base32 = auth::Base32Encode(seed);
  // The URI AWS documents for QRCodePNG: otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String.
  IAM_ASSIGN_OR_RETURN(std::string png,
                       QrCodePng("otpauth://totp/" + d.name + "@" + c.account() + "?secret=" + base32));
  json j = VirtualDeviceJson(c, device);
  // Blobs travel base64-encoded; the Base32 seed is itself the blob's content.
  j["Base32StringSeed"] = crypto::Base64Encode(base32);
  j["QRCodePNG"] = crypto::Base64Encode(png);
  return json{{"VirtualMFADevice", j}};
}

Result<json> EnableMFADevice(Ctx& c) {
  const std::string user = Str(c.in, "UserName");
  IAM_RETURN_IF_ERROR(c.store.GetUser(c.account(), user).status());
  IAM_ASSIGN_OR_RETURN(store::MfaDevice d, c.store.GetMfaDevice(c.account(), Str(c.in, "SerialNumber")));
  if (!d.user_name.empty()) return AlreadyExists("MFA device is already in use.");
  IAM_ASSIGN_OR_RETURN(std::string seed, SeedOf(c, d));
  IAM_ASSIGN_OR_RETURN(int64_t step, ConsecutiveCodesStep(seed, Str(c.in, "AuthenticationCode1"),
                                                          Str(c.in, "AuthenticationCode2"), d.last_totp_step));
  IAM_RETURN_IF_ERROR(c.store.EnableMfaDevice(c.account(), user, d.serial_number, step));
  return json::object();
}

// iamd keeps no per-device clock offset: resynchronizing proves the device
// still holds the seed (two consecutive codes within kSyncWindowSteps) and
// uses those codes up.
Result<json> ResyncMFADevice(Ctx& c) {
  const std::string user = Str(c.in, "UserName");
  IAM_RETURN_IF_ERROR(c.store.GetUser(c.account(), user).status());
  IAM_ASSIGN_OR_RETURN(store::MfaDevice d, c.store.GetMfaDevice(c.account(), Str(c.in, "SerialNumber")));
  if (d.user_name != user) {
    return NoSuchEntity("MFA device " + d.serial_number + " is not enabled for user " + user + ".");
  }
  IAM_ASSIGN_OR_RETURN(std::string seed, SeedOf(c, d));
  IAM_ASSIGN_OR_RETURN(int64_t step, ConsecutiveCodesStep(seed, Str(c.in, "AuthenticationCode1"),
                                                          Str(c.in, "AuthenticationCode2"), d.last_totp_step));
  IAM_ASSIGN_OR_RETURN(bool fresh, c.store.AdvanceMfaStep(c.account(), d.serial_number, step));
  if (!fresh) return InvalidCode();
  return json::object();
}

Result<json> DeactivateMFADevice(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeactivateMfaDevice(c.account(), Str(c.in, "UserName"), Str(c.in, "SerialNumber")));
  return json::object();
}

Result<json> DeleteVirtualMFADevice(Ctx& c) {
  IAM_RETURN_IF_ERROR(c.store.DeleteVirtualMfaDevice(c.account(), Str(c.in, "SerialNumber")));
  return json::object();
}

std::string SerialOf(const store::MfaDevice& d) { return d.serial_number; }

Result<json> ListMFADevices(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(std::string user, TargetUser(c.caller, c.in));
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(std::vector<store::MfaDevice> devices, c.store.ListMfaDevices(c.account(), user));
  IAM_ASSIGN_OR_RETURN(store::Page<store::MfaDevice> page, PageOf(std::move(devices), o, SerialOf));
  json list = json::array();
  for (const store::MfaDevice& d : page.items) {
    list.push_back(
        {{"UserName", d.user_name}, {"SerialNumber", d.serial_number}, {"EnableDate", d.enable_date.value_or(0)}});
  }
  json out = {{"MFADevices", list}};
  PutPage(c, out, page);
  return out;
}

Result<json> ListVirtualMFADevices(Ctx& c) {
  IAM_ASSIGN_OR_RETURN(store::ListOptions o, ListOpts(c));
  IAM_ASSIGN_OR_RETURN(std::vector<store::MfaDevice> all, c.store.ListMfaDevices(c.account(), ""));
  const std::string status = Str(c.in, "AssignmentStatus", "Any");
  std::vector<store::MfaDevice> devices;
  for (store::MfaDevice& d : all) {
    const bool assigned = !d.user_name.empty();
    if (status == "Any" || (status == "Assigned") == assigned) devices.push_back(std::move(d));
  }
  IAM_ASSIGN_OR_RETURN(store::Page<store::MfaDevice> page, PageOf(std::move(devices), o, SerialOf));
  json list = json::array();
  for (const store::MfaDevice& d : page.items) list.push_back(VirtualDeviceJson(c, d));
  json out = {{"VirtualMFADevices", list}};
  PutPage(c, out, page);
  return out;
}

}  // namespace

void AddMfaOps(OpTable& ops) {
  ops.emplace("CreateVirtualMFADevice", CreateVirtualMFADevice);
  ops.emplace("EnableMFADevice", EnableMFADevice);
  ops.emplace("ResyncMFADevice", ResyncMFADevice);
  ops.emplace("DeactivateMFADevice", DeactivateMFADevice);
  ops.emplace("DeleteVirtualMFADevice", DeleteVirtualMFADevice);
  ops.emplace("ListMFADevices", ListMFADevices);
  ops.emplace("ListVirtualMFADevices", ListVirtualMFADevices);
}

}  // namespace iam::service
