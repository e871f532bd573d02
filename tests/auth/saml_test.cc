// SAML metadata and signed responses: an IdP key and certificate are made
// here with OpenSSL, responses are signed here with xmlsec, then verified and
// attacked (tampering, wrapping, foreign keys, time, audience, recipient).
#include "auth/saml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status_matchers.h"
#include "crypto/base64.h"

namespace iam::auth {
namespace {

using ::iam::testing::IsOk;
using ::iam::testing::StatusIs;

constexpr int64_t kNow = 1700000000;  // 2023-11-14T22:13:20Z
constexpr char kEntity[] = "https://idp.example.test/metadata";

struct Idp {
  std::string key_pem;
  std::string cert_der;
};

Idp NewIdp() {
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365 * 20);
  X509_set_pubkey(x, pkey);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("idp.example.test"), -1,
                             -1, 0);
  X509_set_issuer_name(x, name);
  X509_sign(x, pkey, EVP_sha256());
  Idp idp;
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  idp.cert_der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  idp.key_pem.assign(data, static_cast<size_t>(n));
  BIO_free(bio);
  X509_free(x);
  EVP_PKEY_free(pkey);
  return idp;
}

std::string Metadata(const Idp& idp) {
  return std::string(R"(<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID=")") + kEntity + R"(">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>)" + crypto::Base64Encode(idp.cert_der) + R"(</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>)";
}

struct Options {
  std::string audience = "https://signin.aws.amazon.com/saml";
  std::string recipient = "https://signin.aws.amazon.com/saml";
  std::string not_on_or_after = "2023-11-14T23:13:20Z";
  std::string session_name = "alice";
};

std::string AssertionXml(const Options& o, const std::string& id = "_a1") {
  return R"(<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID=")" + id +
         R"(" Version="2.0" IssueInstant="2023-11-14T22:13:00Z"><saml:Issuer>)" + kEntity + R"(</saml:Issuer>
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice@example.test</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter=")" +
         o.not_on_or_after + R"(" Recipient=")" + o.recipient + R"("/></saml:SubjectConfirmation></saml:Subject>
<saml:Conditions NotBefore="2023-11-14T22:08:20Z" NotOnOrAfter=")" + o.not_on_or_after +
         R"("><saml:AudienceRestriction><saml:Audience>)" + o.audience + R"(</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AttributeStatement>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::123456789012:saml-provider/corp,arn:aws:iam::123456789012:role/engineer</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>)" +
         o.session_name + R"(</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml:AttributeValue>1800</saml:AttributeValue></saml:Attribute>
</saml:AttributeStatement></saml:Assertion>)";
}

std::string ResponseXml(const std::string& inner) {
  return R"(<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2023-11-14T22:13:00Z" Destination="https://signin.aws.amazon.com/saml">)" +
         inner + "</samlp:Response>";
}

xmlNode* FindById(xmlNode* n, const std::string& id) {
  for (; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    xmlChar* v = xmlGetProp(n, BAD_CAST "ID");
    bool match = v != nullptr && id == reinterpret_cast<char*>(v);
    xmlFree(v);
    if (match) return n;
    if (xmlNode* c = FindById(n->children, id)) return c;
  }
  return nullptr;
}

// Signs the element with ID `id` (enveloped signature, exclusive c14n, RSA-SHA256).
std::string Sign(const std::string& xml, const std::string& id, const Idp& idp) {
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "x.xml", nullptr, 0);
  xmlNode* target = FindById(xmlDocGetRootElement(doc), id);
  EXPECT_NE(target, nullptr);
  xmlAddID(nullptr, doc, BAD_CAST id.c_str(), xmlHasProp(target, BAD_CAST "ID"));
  xmlNode* sig = xmlSecTmplSignatureCreate(doc, xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id, nullptr);
  xmlAddChild(target, sig);
  xmlNode* ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, nullptr,
                                                 BAD_CAST("#" + id).c_str(), nullptr);
  xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId);
  xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId);
  xmlSecDSigCtx* ctx = xmlSecDSigCtxCreate(nullptr);
  ctx->signKey = xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(idp.key_pem.data()),
                                              static_cast<xmlSecSize>(idp.key_pem.size()), xmlSecKeyDataFormatPem,
                                              nullptr, nullptr, nullptr);
  EXPECT_EQ(xmlSecDSigCtxSign(ctx, sig), 0);
  xmlSecDSigCtxDestroy(ctx);
  xmlChar* out = nullptr;
  int len = 0;
  xmlDocDumpMemory(doc, &out, &len);
  std::string signed_xml(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  xmlFree(out);
  xmlFreeDoc(doc);
  // Without the XML declaration, so that a signed assertion can be embedded in a Response.
  if (signed_xml.rfind("<?xml", 0) == 0) signed_xml.erase(0, signed_xml.find("?>") + 2);
  while (!signed_xml.empty() && (signed_xml[0] == '\n' || signed_xml[0] == '\r')) signed_xml.erase(0, 1);
  return signed_xml;
}

class SamlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    idp_ = new Idp(NewIdp());
    forger_ = new Idp(NewIdp());
    auto m = ParseSamlMetadata(Metadata(*idp_));  // also initializes xmlsec for Sign()
    ASSERT_THAT(m, IsOk());
    metadata_ = new SamlMetadata(*m);
  }
  Result<SamlAssertion> Verify(const std::string& xml, int64_t now = kNow) {
    return VerifySamlResponse(crypto::Base64Encode(xml), {.metadata = metadata_, .now = now});
  }
  static Idp* idp_;
  static Idp* forger_;
  static SamlMetadata* metadata_;
};
Idp* SamlTest::idp_ = nullptr;
Idp* SamlTest::forger_ = nullptr;
SamlMetadata* SamlTest::metadata_ = nullptr;

TEST_F(SamlTest, MetadataNamesTheEntityAndItsCertificate) {
  EXPECT_EQ(metadata_->entity_id, kEntity);
  ASSERT_EQ(metadata_->certificates_der.size(), 1u);
  EXPECT_EQ(metadata_->certificates_der[0], idp_->cert_der);
  EXPECT_THAT(ParseSamlMetadata("<x/>"), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(ParseSamlMetadata("not xml"), StatusIs(StatusCode::kInvalidInput));
  std::string no_cert = Metadata(*idp_);
  no_cert.replace(no_cert.find("use=\"signing\""), 13, "use=\"encryption\"");
  EXPECT_THAT(ParseSamlMetadata(no_cert), StatusIs(StatusCode::kInvalidInput, "certificate"));
  std::string bad_cert = Metadata(*idp_);
  size_t at = bad_cert.find("<ds:X509Certificate>") + 20;
  bad_cert.replace(at, bad_cert.find('<', at) - at, "AAAA");
  EXPECT_THAT(ParseSamlMetadata(bad_cert), StatusIs(StatusCode::kInvalidInput));
}

TEST_F(SamlTest, SignedAssertionOrResponseVerifies) {
  for (const std::string& xml : {ResponseXml(Sign(AssertionXml({}), "_a1", *idp_)),
                                 Sign(ResponseXml(AssertionXml({})), "_r1", *idp_)}) {
    Result<SamlAssertion> a = Verify(xml);
    ASSERT_THAT(a, IsOk());
    EXPECT_EQ(a->issuer, kEntity);
    EXPECT_EQ(a->subject, "alice@example.test");
    EXPECT_EQ(a->subject_type, "persistent");
    EXPECT_EQ(a->role_session_name, "alice");
    EXPECT_EQ(a->session_duration, 1800);
    ASSERT_EQ(a->roles.size(), 1u);
    EXPECT_EQ(a->roles[0].first, "arn:aws:iam::123456789012:role/engineer");  // either order in the value
    EXPECT_EQ(a->roles[0].second, "arn:aws:iam::123456789012:saml-provider/corp");
  }
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

TEST_F(SamlTest, TamperedForeignOrUnsignedResponsesAreRefused) {
  std::string signed_assertion = Sign(AssertionXml({}), "_a1", *idp_);
  EXPECT_THAT(Verify(ResponseXml(Replace(signed_assertion, ">alice<", ">admin<"))),
              StatusIs(StatusCode::kInvalidIdentityToken, "signature"));
  EXPECT_THAT(Verify(ResponseXml(Sign(AssertionXml({}), "_a1", *forger_))),
              StatusIs(StatusCode::kInvalidIdentityToken, "signature"));
  EXPECT_THAT(Verify(ResponseXml(AssertionXml({}))), StatusIs(StatusCode::kInvalidIdentityToken, "not signed"));
  EXPECT_THAT(VerifySamlResponse("%%%", {.metadata = metadata_, .now = kNow}), StatusIs(StatusCode::kInvalidIdentityToken));
  EXPECT_THAT(Verify("<x/>"), StatusIs(StatusCode::kInvalidIdentityToken));
  std::string with_dtd = "<!DOCTYPE r [<!ENTITY e \"alice\">]>" + ResponseXml(signed_assertion);
  EXPECT_THAT(Verify(with_dtd), StatusIs(StatusCode::kInvalidIdentityToken));
}

TEST_F(SamlTest, SignatureWrappingIsRefused) {
  std::string signed_assertion = Sign(AssertionXml({}), "_a1", *idp_);
  // A second, evil assertion beside the signed one.
  Options evil;
  evil.session_name = "mallory";
  EXPECT_THAT(Verify(ResponseXml(signed_assertion + AssertionXml(evil, "_evil"))),
              StatusIs(StatusCode::kInvalidIdentityToken, "exactly one"));
  // The signed assertion hidden in Extensions, the evil one carrying its signature.
  std::string sig = signed_assertion.substr(signed_assertion.find("<Signature"));
  sig = sig.substr(0, sig.find("</Signature>") + 12);
  std::string evil_signed = Replace(AssertionXml(evil, "_evil"), "</saml:Assertion>", sig + "</saml:Assertion>");
  std::string hidden = "<samlp:Extensions>" + signed_assertion.substr(signed_assertion.find("<saml:Assertion")) +
                       "</samlp:Extensions>";
  EXPECT_THAT(Verify(ResponseXml(hidden + evil_signed)), StatusIs(StatusCode::kInvalidIdentityToken));
  // The same with the evil assertion reusing the signed one's ID.
  std::string same_id = Replace(evil_signed, "ID=\"_evil\"", "ID=\"_a1\"");
  EXPECT_THAT(Verify(ResponseXml(hidden + same_id)), StatusIs(StatusCode::kInvalidIdentityToken));
}

TEST_F(SamlTest, TimeAudienceAndRecipientAreChecked) {
  auto signed_with = [&](const Options& o) { return ResponseXml(Sign(AssertionXml(o), "_a1", *idp_)); };
  EXPECT_THAT(Verify(signed_with({}), kNow + 3600 + 300), StatusIs(StatusCode::kExpiredIdentityToken));
  EXPECT_THAT(Verify(signed_with({}), kNow - 3600), StatusIs(StatusCode::kInvalidIdentityToken, "not valid yet"));
  Options o;
  o.audience = "https://other.example.test/";
  EXPECT_THAT(Verify(signed_with(o)), StatusIs(StatusCode::kInvalidIdentityToken, "Audience"));
  o = {};
  o.audience = "urn:amazon:webservices";
  EXPECT_THAT(Verify(signed_with(o)), IsOk());
  o = {};
  o.recipient = "https://evil.example.test/acs";
  EXPECT_THAT(Verify(signed_with(o)), StatusIs(StatusCode::kInvalidIdentityToken, "Recipient"));
  o = {};
  o.session_name = "";
  EXPECT_THAT(Verify(signed_with(o)), StatusIs(StatusCode::kInvalidIdentityToken, "RoleSessionName"));
}

}  // namespace
}  // namespace iam::auth
