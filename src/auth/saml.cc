#include "auth/saml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <chrono>
#include <memory>
#include <mutex>

#include "crypto/base64.h"

namespace iam::auth {
namespace {

constexpr char kMetadataNs[] = "urn:oasis:names:tc:SAML:2.0:metadata";
constexpr char kProtocolNs[] = "urn:oasis:names:tc:SAML:2.0:protocol";
constexpr char kAssertionNs[] = "urn:oasis:names:tc:SAML:2.0:assertion";
constexpr char kDsigNs[] = "http://www.w3.org/2000/09/xmldsig#";
constexpr size_t kMaxResponseBytes = 100000;  // the model's SAMLAssertionType maximum

Status Invalid(std::string m) { return Status(StatusCode::kInvalidIdentityToken, std::move(m)); }

const char* Chars(const xmlChar* s) { return reinterpret_cast<const char*>(s); }
const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

bool Is(const xmlNode* n, const char* ns, const char* name) {
  return n != nullptr && n->type == XML_ELEMENT_NODE && n->ns != nullptr && xmlStrEqual(n->ns->href, X(ns)) &&
         xmlStrEqual(n->name, X(name));
}

std::vector<xmlNode*> Children(xmlNode* parent, const char* ns, const char* name) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = parent ? parent->children : nullptr; c != nullptr; c = c->next) {
    if (Is(c, ns, name)) out.push_back(c);
  }
  return out;
}

xmlNode* Child(xmlNode* parent, const char* ns, const char* name) {
  std::vector<xmlNode*> c = Children(parent, ns, name);
  return c.empty() ? nullptr : c.front();
}

std::string Text(xmlNode* n) {
  if (n == nullptr) return std::string();
  xmlChar* t = xmlNodeGetContent(n);
  std::string out = t ? Chars(t) : "";
  xmlFree(t);
  // Trim XML whitespace around values.
  size_t b = out.find_first_not_of(" \t\r\n");
  size_t e = out.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

std::string Attr(xmlNode* n, const char* name) {
  xmlChar* v = n ? xmlGetProp(n, X(name)) : nullptr;  // unqualified attribute
  std::string out = v ? Chars(v) : "";
  xmlFree(v);
  return out;
}

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z" as SAML's xs:dateTime values are (UTC).
std::optional<int64_t> ParseDateTime(const std::string& s) {
  int y, mo, d, h, mi, sec;
  char tail[32] = {0};
  if (s.size() < 20 || s.size() > 40 ||
      std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%31s", &y, &mo, &d, &h, &mi, &sec, tail) != 7) {
    return std::nullopt;
  }
  std::string rest = tail;
  if (rest.empty() || rest.back() != 'Z') return std::nullopt;
  rest.pop_back();
  if (!rest.empty() && (rest[0] != '.' || rest.find_first_not_of("0123456789", 1) != std::string::npos)) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  auto days = std::chrono::sys_days(ymd).time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(days).count() + h * 3600 + mi * 60 + sec;
}

using Doc = std::unique_ptr<xmlDoc, void (*)(xmlDoc*)>;

// Parses without network access, DTDs or entity expansion; a document that
// declares a DTD at all is refused (no entity tricks).
Doc ParseXml(std::string_view xml) {
  if (xml.size() > 10000000) return Doc(nullptr, xmlFreeDoc);
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "saml.xml", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
          xmlFreeDoc);
  if (doc && (doc->intSubset != nullptr || doc->extSubset != nullptr)) doc.reset();
  return doc;
}

Status InitXmlsec() {
  static Status status = [] {
    xmlInitParser();
    if (xmlSecInit() < 0) return Internal("xmlsec initialization failed");
    if (xmlSecCheckVersion() != 1) return Internal("xmlsec library version mismatch");
    if (xmlSecCryptoAppInit(nullptr) < 0 || xmlSecCryptoInit() < 0) return Internal("xmlsec-openssl initialization failed");
    // Refusals are reported by Status; the libraries' own messages would only be noise on stderr.
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    return Status();
  }();
  return status;
}

// Registers every ID attribute as an XML ID, so that "#id" references
// resolve, and fails if two elements share one.
bool RegisterIds(xmlDoc* doc, xmlNode* n) {
  for (; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (xmlAttr* a = xmlHasProp(n, X("ID")); a != nullptr && a->ns == nullptr) {
      xmlChar* v = xmlNodeListGetString(doc, a->children, 1);
      bool fresh = v != nullptr && xmlGetID(doc, v) == nullptr && xmlAddID(nullptr, doc, v, a) != nullptr;
      xmlFree(v);
      if (!fresh) return false;
    }
    if (!RegisterIds(doc, n->children)) return false;
  }
  return true;
}

// Verifies `signature` (a ds:Signature child of `signed_element`) with one of
// the certificates, and that its only reference is "#" + the element's ID.
bool SignatureVerifies(xmlNode* signature, xmlNode* signed_element, const std::vector<std::string>& certs) {
  const std::string id = Attr(signed_element, "ID");
  if (id.empty()) return false;
  for (const std::string& der : certs) {
    xmlSecKeyPtr key = xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(der.data()),
                                                    static_cast<xmlSecSize>(der.size()), xmlSecKeyDataFormatCertDer,
                                                    nullptr, nullptr, nullptr);
    if (key == nullptr) continue;
    xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(nullptr);
    if (ctx == nullptr) {
      xmlSecKeyDestroy(key);
      return false;
    }
    ctx->signKey = key;  // owned by ctx; KeyInfo in the document is then ignored
    ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
    // Only the transforms SAML uses: no XSLT, XPath or external documents.
    for (xmlSecTransformId t : {xmlSecTransformEnvelopedId, xmlSecTransformExclC14NId,
                                xmlSecTransformExclC14NWithCommentsId, xmlSecTransformInclC14NId,
                                xmlSecTransformInclC14NWithCommentsId, xmlSecTransformSha1Id, xmlSecTransformSha256Id,
                                xmlSecTransformSha384Id, xmlSecTransformSha512Id}) {
      xmlSecDSigCtxEnableReferenceTransform(ctx, t);
    }
    for (xmlSecTransformId t : {xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId,
                                xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
                                xmlSecTransformRsaSha1Id, xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id,
                                xmlSecTransformRsaSha512Id, xmlSecTransformEcdsaSha256Id, xmlSecTransformEcdsaSha384Id,
                                xmlSecTransformEcdsaSha512Id}) {
      xmlSecDSigCtxEnableSignatureTransform(ctx, t);
    }
    bool ok = xmlSecDSigCtxVerify(ctx, signature) == 0 && ctx->status == xmlSecDSigStatusSucceeded &&
              xmlSecPtrListGetSize(&ctx->signedInfoReferences) == 1;
    if (ok) {
      auto* ref = static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
      ok = ref != nullptr && ref->uri != nullptr && std::string(Chars(ref->uri)) == "#" + id;
    }
    xmlSecDSigCtxDestroy(ctx);
    if (ok) return true;
  }
  return false;
}

std::string ShortNameIdFormat(const std::string& format) {
  for (const char* f : {"persistent", "transient"}) {
    if (format == std::string("urn:oasis:names:tc:SAML:2.0:nameid-format:") + f) return f;
  }
  return format;
}

}  // namespace

Result<SamlMetadata> ParseSamlMetadata(std::string_view xml) {
  Doc doc = ParseXml(xml);
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!Is(root, kMetadataNs, "EntityDescriptor")) {
    return InvalidInput("Could not parse metadata: the document is not a SAML 2.0 EntityDescriptor.");
  }
  SamlMetadata m;
  m.entity_id = Attr(root, "entityID");
  if (m.entity_id.empty()) return InvalidInput("Could not parse metadata: the EntityDescriptor has no entityID.");
  if (std::string until = Attr(root, "validUntil"); !until.empty()) {
    m.valid_until = ParseDateTime(until);
    if (!m.valid_until) return InvalidInput("Could not parse metadata: validUntil is not a date.");
  }
  xmlNode* idp = Child(root, kMetadataNs, "IDPSSODescriptor");
  if (idp == nullptr) return InvalidInput("Could not parse metadata: no IDPSSODescriptor.");
  for (xmlNode* kd : Children(idp, kMetadataNs, "KeyDescriptor")) {
    std::string use = Attr(kd, "use");
    if (!use.empty() && use != "signing") continue;
    for (xmlNode* data : Children(Child(kd, kDsigNs, "KeyInfo"), kDsigNs, "X509Data")) {
      for (xmlNode* cert : Children(data, kDsigNs, "X509Certificate")) {
        std::optional<std::string> der = crypto::Base64DecodeLoose(Text(cert));
        if (!der || der->empty()) return InvalidInput("Could not parse metadata: an X509Certificate is not base64.");
        m.certificates_der.push_back(std::move(*der));
      }
    }
  }
  if (m.certificates_der.empty()) return InvalidInput("Could not parse metadata: no signing certificate.");
  if (InitXmlsec().ok()) {
    for (const std::string& der : m.certificates_der) {
      xmlSecKeyPtr key = xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(der.data()),
                                                      static_cast<xmlSecSize>(der.size()),
                                                      xmlSecKeyDataFormatCertDer, nullptr, nullptr, nullptr);
      if (key == nullptr) return InvalidInput("Could not parse metadata: a signing certificate is not X.509.");
      xmlSecKeyDestroy(key);
    }
  }
  return m;
}

Result<SamlAssertion> VerifySamlResponse(std::string_view base64_response, const SamlExpectations& expect) {
  if (Status s = InitXmlsec(); !s.ok()) return s;
  if (expect.metadata == nullptr) return Internal("no SAML metadata to verify with");
  if (base64_response.size() > kMaxResponseBytes) return Invalid("The SAML assertion is too long.");
  std::optional<std::string> xml = crypto::Base64DecodeLoose(base64_response);
  if (!xml) return Invalid("Invalid base64 SAMLResponse");
  Doc doc = ParseXml(*xml);
  xmlNode* response = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!Is(response, kProtocolNs, "Response")) return Invalid("The SAML response is not a samlp:Response document.");
  if (!RegisterIds(doc.get(), response)) return Invalid("The SAML response has duplicate or empty IDs.");
  std::vector<xmlNode*> assertions = Children(response, kAssertionNs, "Assertion");
  if (assertions.size() != 1) return Invalid("The SAML response must hold exactly one (unencrypted) Assertion.");
  xmlNode* assertion = assertions.front();

  // An enveloped signature on the Assertion, or else on the whole Response.
  bool signed_ok = false;
  for (xmlNode* element : {assertion, response}) {
    std::vector<xmlNode*> sigs = Children(element, kDsigNs, "Signature");
    if (sigs.size() > 1) return Invalid("The SAML response carries more than one signature on an element.");
    if (sigs.size() == 1) {
      if (!SignatureVerifies(sigs.front(), element, expect.metadata->certificates_der)) {
        return Invalid("The SAML response's signature does not verify with the provider's certificate.");
      }
      signed_ok = true;
      break;
    }
  }
  if (!signed_ok) return Invalid("The SAML assertion is not signed.");

  SamlAssertion a;
  a.issuer = Text(Child(assertion, kAssertionNs, "Issuer"));
  if (a.issuer != expect.metadata->entity_id) {
    return Invalid("Issuer " + a.issuer + " is not the provider's entity id.");
  }
  xmlNode* conditions = Child(assertion, kAssertionNs, "Conditions");
  if (std::string nb = Attr(conditions, "NotBefore"); !nb.empty()) {
    std::optional<int64_t> t = ParseDateTime(nb);
    if (!t || *t > expect.now + expect.leeway_seconds) return Invalid("The SAML assertion is not valid yet.");
  }
  std::optional<int64_t> until = ParseDateTime(Attr(conditions, "NotOnOrAfter"));
  xmlNode* subject = Child(assertion, kAssertionNs, "Subject");
  xmlNode* confirmation_data =
      Child(Child(subject, kAssertionNs, "SubjectConfirmation"), kAssertionNs, "SubjectConfirmationData");
  std::optional<int64_t> confirm_until = ParseDateTime(Attr(confirmation_data, "NotOnOrAfter"));
  if (!until && !confirm_until) return Invalid("The SAML assertion has no NotOnOrAfter.");
  a.not_on_or_after = until && confirm_until ? std::min(*until, *confirm_until) : until ? *until : *confirm_until;
  if (expect.now >= a.not_on_or_after + expect.leeway_seconds) {
    return Status(StatusCode::kExpiredIdentityToken, "Token expired: the SAML assertion's NotOnOrAfter has passed.");
  }
  for (xmlNode* restriction : Children(conditions, kAssertionNs, "AudienceRestriction")) {
    for (xmlNode* audience : Children(restriction, kAssertionNs, "Audience")) {
      std::string v = Text(audience);
      if (v == kAwsSamlEndpoint || v == kAwsSamlAudienceUrn) a.audience = v;
    }
  }
  if (a.audience.empty()) return Invalid("The SAML assertion's Audience is not " + std::string(kAwsSamlEndpoint) + ".");
  a.recipient = Attr(confirmation_data, "Recipient");
  if (a.recipient != kAwsSamlEndpoint) {
    return Invalid("The SAML assertion's Recipient is not " + std::string(kAwsSamlEndpoint) + ".");
  }
  xmlNode* name_id = Child(subject, kAssertionNs, "NameID");
  a.subject = Text(name_id);
  a.subject_type = ShortNameIdFormat(Attr(name_id, "Format"));

  for (xmlNode* statement : Children(assertion, kAssertionNs, "AttributeStatement")) {
    for (xmlNode* attribute : Children(statement, kAssertionNs, "Attribute")) {
      std::vector<std::string>& values = a.attributes[Attr(attribute, "Name")];
      for (xmlNode* v : Children(attribute, kAssertionNs, "AttributeValue")) values.push_back(Text(v));
    }
  }
  for (const std::string& pair : a.attributes[kSamlRoleAttribute]) {
    size_t comma = pair.find(',');
    if (comma == std::string::npos) continue;
    std::string first = pair.substr(0, comma), second = pair.substr(comma + 1);
    // AWS accepts the pair in either order.
    if (first.find(":saml-provider/") != std::string::npos) std::swap(first, second);
    a.roles.emplace_back(first, second);
  }
  if (a.roles.empty()) return Invalid("The SAML assertion has no " + std::string(kSamlRoleAttribute) + " attribute.");
  const std::vector<std::string>& names = a.attributes[kSamlRoleSessionNameAttribute];
  if (names.empty() || names.front().empty()) {
    return Invalid("The SAML assertion has no " + std::string(kSamlRoleSessionNameAttribute) + " attribute.");
  }
  a.role_session_name = names.front();
  if (const auto& d = a.attributes[kSamlSessionDurationAttribute]; !d.empty()) {
    char* end = nullptr;
    long long v = std::strtoll(d.front().c_str(), &end, 10);
    if (end != d.front().c_str() && *end == '\0' && v > 0) a.session_duration = v;
  }
  return a;
}

}  // namespace iam::auth
