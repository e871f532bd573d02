// Conformance: access keys (sealed at rest), login profiles, MFA devices,
// identity providers, the key ring, transactions, generations, threads.
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <thread>

#include "crypto/password.h"
#include "store/ids.h"
#include "store_fixture.h"

namespace iam::store::testing {
namespace {

using ::testing::SizeIs;

TEST_P(StoreTest, AccessKeysSealedAtRest) {
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  auto ring = store_->LoadKeyRing();
  ASSERT_THAT(ring, IsOk());
  const std::string secret = NewSecretAccessKey();
  const std::string id = NewAccessKeyId();
  EXPECT_EQ(id.size(), 20u);
  auto sealed = ring->Seal(secret, id);
  ASSERT_THAT(sealed, IsOk());
  auto k = store_->CreateAccessKey(kA, "bob", {id, *sealed});
  ASSERT_THAT(k, IsOk());
  EXPECT_EQ(k->status, AccessKeyStatus::kActive);
  EXPECT_EQ(k->user_name, "bob");

  auto got = store_->GetAccessKey(id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->account_id, kA);
  EXPECT_EQ(*ring->Open(got->sealed_secret, id), secret);
  EXPECT_THAT(store_->GetAccessKey("AKIAAAAAAAAAAAAAAAAA"),
              StatusIs(StatusCode::kNoSuchEntity, "The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found."));

  if (GetParam().name == "SqliteFile") {
    // The plaintext secret is nowhere in the database files.
    for (const char* f : {"/iamd.db", "/iamd.db-wal"}) {
      std::ifstream in(dir_ + f, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes.find(secret), std::string::npos) << f;
      if (std::string(f) == "/iamd.db-wal") {
        EXPECT_NE(bytes.find(id), std::string::npos);  // The id is there; the secret is not.
      }
    }
    struct stat st {};
    ASSERT_EQ(::stat((dir_ + "/master.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }

  EXPECT_THAT(store_->CreateAccessKey(kA, "bob", {id, *sealed}), StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(store_->CreateAccessKey(kA, "bob", {"AKIA123", *sealed}), StatusIs(StatusCode::kValidationError));
  ASSERT_THAT(store_->CreateAccessKey(kA, "bob", {NewAccessKeyId(), *sealed}), IsOk());
  EXPECT_THAT(store_->CreateAccessKey(kA, "bob", {NewAccessKeyId(), *sealed}),
              StatusIs(StatusCode::kLimitExceeded, "Cannot exceed quota for AccessKeysPerUser: 2."));
  EXPECT_THAT(*store_->ListAccessKeys(kA, "bob"), SizeIs(2));

  ASSERT_THAT(store_->UpdateAccessKeyStatus(kA, "bob", id, AccessKeyStatus::kInactive), IsOk());
  EXPECT_EQ(store_->GetAccessKey(id)->status, AccessKeyStatus::kInactive);
  ASSERT_THAT(store_->RecordAccessKeyUsed(id, 1700000100, "iam", "us-east-1"), IsOk());
  got = store_->GetAccessKey(id);
  EXPECT_EQ(got->last_used_date, 1700000100);
  EXPECT_EQ(got->last_used_service, "iam");
  EXPECT_EQ(got->last_used_region, "us-east-1");

  ASSERT_THAT(store_->CreateUser(kA, {.name = "eve"}), IsOk());
  EXPECT_THAT(store_->DeleteAccessKey(kA, "eve", id), StatusIs(StatusCode::kNoSuchEntity));  // Not eve's key.
  EXPECT_THAT(store_->DeleteUser(kA, "bob"), StatusIs(StatusCode::kDeleteConflict, "must delete access keys first"));
  auto keys = store_->ListAccessKeys(kA, "bob");
  ASSERT_THAT(keys, IsOk());
  std::vector<AccessKey> list = *keys;
  for (const AccessKey& key : list) ASSERT_THAT(store_->DeleteAccessKey(kA, "bob", key.access_key_id), IsOk());
  ASSERT_THAT(store_->DeleteUser(kA, "bob"), IsOk());
}

TEST_P(StoreTest, KeyRingRotationAndReopen) {
  auto ring = store_->LoadKeyRing();
  ASSERT_THAT(ring, IsOk());
  ASSERT_EQ(ring->size(), 1u);
  auto box = ring->Seal("seed", "aad");
  auto next = store_->RotateKey();
  ASSERT_THAT(next, IsOk());
  auto ring2 = store_->LoadKeyRing();
  EXPECT_EQ(ring2->size(), 2u);
  EXPECT_EQ(ring2->current_id(), *next);
  EXPECT_EQ(*ring2->Open(*box, "aad"), "seed");
  if (GetParam().name == "SqliteFile") {
    Reopen();
    auto ring3 = store_->LoadKeyRing();
    ASSERT_THAT(ring3, IsOk());
    EXPECT_EQ(*ring3->Open(*box, "aad"), "seed");
    // A different master key cannot open this store's ring.
    store_.reset();
    StoreOptions wrong = options_;
    wrong.master_key = std::string(32, 'k');
    EXPECT_THAT(OpenStore(wrong), StatusIs(StatusCode::kInternal, "wrong master key"));
    ::chmod((dir_ + "/master.key").c_str(), 0644);
    EXPECT_THAT(OpenStore(options_), StatusIs(StatusCode::kAccessDenied));
    ::chmod((dir_ + "/master.key").c_str(), 0600);
    Reopen();
  }
}

TEST_P(StoreTest, LoginProfiles) {
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  auto hash = crypto::HashPassword("hunter22", crypto::PasswordCost::Minimal());
  ASSERT_THAT(hash, IsOk());
  EXPECT_THAT(store_->GetLoginProfile(kA, "bob"),
              StatusIs(StatusCode::kNoSuchEntity, "Login Profile for User bob cannot be found."));
  ASSERT_THAT(store_->CreateLoginProfile(kA, "bob", *hash, true), IsOk());
  EXPECT_THAT(store_->CreateLoginProfile(kA, "bob", *hash, true), StatusIs(StatusCode::kEntityAlreadyExists));
  auto lp = store_->GetLoginProfile(kA, "bob");
  EXPECT_TRUE(lp->password_reset_required);
  EXPECT_TRUE(crypto::VerifyPassword(lp->password_hash, "hunter22"));
  ASSERT_THAT(store_->UpdateLoginProfile(kA, "bob", std::nullopt, false), IsOk());
  EXPECT_FALSE(store_->GetLoginProfile(kA, "bob")->password_reset_required);
  EXPECT_EQ(store_->GetLoginProfile(kA, "bob")->password_hash, *hash);
  ASSERT_THAT(store_->RecordPasswordUsed(kA, "bob", 1700000200), IsOk());
  EXPECT_EQ(store_->GetUser(kA, "bob")->password_last_used, 1700000200);
  EXPECT_THAT(store_->DeleteUser(kA, "bob"), StatusIs(StatusCode::kDeleteConflict, "must delete login profile first"));
  ASSERT_THAT(store_->DeleteLoginProfile(kA, "bob"), IsOk());
  EXPECT_THAT(store_->DeleteLoginProfile(kA, "bob"), StatusIs(StatusCode::kNoSuchEntity));
}

TEST_P(StoreTest, VirtualMfaDevices) {
  ASSERT_THAT(store_->CreateUser(kA, {.name = "bob"}), IsOk());
  auto ring = store_->LoadKeyRing();
  auto d = store_->CreateVirtualMfaDevice(kA, {.name = "bob-phone", .sealed_seed = *ring->Seal("SEED", "mfa")});
  ASSERT_THAT(d, IsOk());
  const std::string serial = "arn:aws:iam::111111111111:mfa/bob-phone";
  EXPECT_EQ(d->serial_number, serial);
  EXPECT_THAT(store_->CreateVirtualMfaDevice(kA, {.name = "BOB-PHONE", .sealed_seed = "x"}),
              StatusIs(StatusCode::kEntityAlreadyExists));
  ASSERT_THAT(store_->EnableMfaDevice(kA, "bob", serial, 100), IsOk());
  EXPECT_THAT(store_->EnableMfaDevice(kA, "bob", serial, 101), StatusIs(StatusCode::kEntityAlreadyExists));
  auto got = store_->GetMfaDevice(kA, serial);
  EXPECT_EQ(got->user_name, "bob");
  EXPECT_EQ(got->enable_date, 1700000000);
  EXPECT_EQ(*ring->Open(got->sealed_seed, "mfa"), "SEED");
  // Each TOTP step is accepted once.
  EXPECT_FALSE(*store_->AdvanceMfaStep(kA, serial, 100));
  EXPECT_TRUE(*store_->AdvanceMfaStep(kA, serial, 101));
  EXPECT_FALSE(*store_->AdvanceMfaStep(kA, serial, 101));
  EXPECT_THAT(*store_->ListMfaDevices(kA, "bob"), SizeIs(1));
  EXPECT_THAT(store_->DeleteUser(kA, "bob"), StatusIs(StatusCode::kDeleteConflict, "must delete MFA device first"));
  EXPECT_THAT(store_->DeleteVirtualMfaDevice(kA, serial), StatusIs(StatusCode::kDeleteConflict));
  ASSERT_THAT(store_->DeactivateMfaDevice(kA, "bob", serial), IsOk());
  EXPECT_THAT(store_->DeactivateMfaDevice(kA, "bob", serial), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(*store_->ListMfaDevices(kA, ""), SizeIs(1));
  ASSERT_THAT(store_->DeleteVirtualMfaDevice(kA, serial), IsOk());
  EXPECT_THAT(store_->GetMfaDevice(kA, serial), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->GetMfaDevice(kB, serial), StatusIs(StatusCode::kNoSuchEntity));
}

TEST_P(StoreTest, IdentityProviders) {
  const std::string tp(40, 'a');
  auto o = store_->CreateOidcProvider(kA, {.url = "https://token.example.com/", .client_ids = {"app1"},
                                           .thumbprints = {tp}, .tags = {{"k", "v"}}});
  ASSERT_THAT(o, IsOk());
  EXPECT_EQ(o->arn, "arn:aws:iam::111111111111:oidc-provider/token.example.com");
  EXPECT_THAT(store_->CreateOidcProvider(kA, {.url = "https://token.example.com"}),
              StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(store_->CreateOidcProvider(kA, {.url = "http://insecure"}), StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateOidcProvider(kA, {.url = "https://x", .thumbprints = {"abc"}}),
              StatusIs(StatusCode::kValidationError));
  EXPECT_THAT(store_->CreateOidcProvider(kA, {.url = "https://x", .thumbprints = {tp, tp, tp, tp, tp, tp}}),
              StatusIs(StatusCode::kLimitExceeded));
  ASSERT_THAT(store_->UpdateOidcProvider(kA, o->arn, std::vector<std::string>{"app1", "app2"}, std::nullopt), IsOk());
  auto got = store_->GetOidcProvider(kA, o->arn);
  EXPECT_EQ(got->client_ids, (std::vector<std::string>{"app1", "app2"}));
  EXPECT_EQ(got->thumbprints, (std::vector<std::string>{tp}));
  EXPECT_THAT(got->tags, SizeIs(1));
  EXPECT_THAT(store_->GetOidcProvider(kB, o->arn), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(*store_->ListOidcProviders(kA), SizeIs(1));
  ASSERT_THAT(store_->DeleteOidcProvider(kA, o->arn), IsOk());
  EXPECT_THAT(store_->DeleteOidcProvider(kA, o->arn), StatusIs(StatusCode::kNoSuchEntity));

  auto s = store_->CreateSamlProvider(kA, {.name = "corp-idp", .metadata_document = "<EntityDescriptor/>"});
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->arn, "arn:aws:iam::111111111111:saml-provider/corp-idp");
  EXPECT_THAT(store_->CreateSamlProvider(kA, {.name = "CORP-IDP", .metadata_document = "<x/>"}),
              StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_THAT(store_->CreateSamlProvider(kA, {.name = "bad name", .metadata_document = "<x/>"}),
              StatusIs(StatusCode::kValidationError));
  ASSERT_THAT(store_->UpdateSamlProvider(kA, s->arn, "<v2/>"), IsOk());
  EXPECT_EQ(store_->GetSamlProvider(kA, s->arn)->metadata_document, "<v2/>");
  ASSERT_THAT(store_->TagResource(kA, {TaggableKind::kSamlProvider, s->arn}, {{"a", "b"}}), IsOk());
  EXPECT_THAT(*store_->ListSamlProviders(kA), SizeIs(1));
  ASSERT_THAT(store_->DeleteSamlProvider(kA, s->arn), IsOk());
  EXPECT_THAT(*store_->ListSamlProviders(kA), SizeIs(0));
}

TEST_P(StoreTest, TransactionsAreAtomic) {
  int64_t g0 = store_->Generation();
  // A failing transaction leaves nothing behind and does not move the generation.
  Status s = store_->Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
    if (auto r = t.CreateUser(kA, {.name = "alice"}); !r.ok()) return r.status();
    if (auto r = t.CreateGroup(kA, {.name = "g"}); !r.ok()) return r.status();
    return t.AddUserToGroup(kA, "g", "nobody");
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->GetUser(kA, "alice"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->GetGroup(kA, "g"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_EQ(store_->Generation(), g0);

  ASSERT_THAT(store_->Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
    if (auto r = t.CreateUser(kA, {.name = "alice"}); !r.ok()) return r.status();
    return t.TagResource(kA, {TaggableKind::kUser, "alice"}, {{"k", "v"}});
  }), IsOk());
  EXPECT_EQ(store_->GetUser(kA, "alice")->tags.size(), 1u);
  EXPECT_EQ(store_->Generation(), g0 + 1);  // One transaction, one step.

  // Reads and failed writes do not move it; every committed write does.
  (void)store_->GetUser(kA, "alice");
  EXPECT_THAT(store_->CreateUser(kA, {.name = "alice"}), StatusIs(StatusCode::kEntityAlreadyExists));
  EXPECT_EQ(store_->Generation(), g0 + 1);
  ASSERT_THAT(store_->DeleteUser(kA, "alice"), IsOk());
  EXPECT_EQ(store_->Generation(), g0 + 2);
  EXPECT_EQ(*store_->RefreshGeneration(), g0 + 2);

  // Exceptions do not escape; writes in read transactions are refused.
  EXPECT_THAT(store_->Transact(TxnMode::kWrite, [](StoreOps&) -> Status { throw std::runtime_error("boom"); }),
              StatusIs(StatusCode::kInternal, "boom"));
  EXPECT_THAT(store_->Transact(TxnMode::kRead, [&](StoreOps& t) { return t.CreateUser(kA, {.name = "z"}).status(); }),
              StatusIs(StatusCode::kInternal));
  EXPECT_THAT(store_->GetUser(kA, "z"), StatusIs(StatusCode::kNoSuchEntity));
  EXPECT_THAT(store_->CheckIntegrity(), IsOk());
  if (GetParam().name == "SqliteFile") {
    Reopen();
    EXPECT_EQ(store_->Generation(), g0 + 2);  // Durable across reopen.
  }
}

TEST_P(StoreTest, ConcurrentWritersRaceFairly) {
  Quotas q;
  q.users_per_account = 50;
  Fresh(q);
  // Eight threads race to create the same 40 users and 40 more each; the
  // quota must hold and each name be created exactly once.
  std::atomic<int> created{0}, exists{0}, limited{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        for (std::string name : {"same" + std::to_string(i), "t" + std::to_string(t) + "-" + std::to_string(i)}) {
          auto r = store_->CreateUser(kA, {.name = name});
          if (r.ok()) {
            ++created;
          } else if (r.status().code() == StatusCode::kEntityAlreadyExists) {
            ++exists;
          } else if (r.status().code() == StatusCode::kLimitExceeded) {
            ++limited;
          } else {
            ++other;
          }
          (void)store_->ListUsers(kA, {.max_items = 5});
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), 50);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(created + exists + limited, 8 * 80);
  EXPECT_EQ(store_->GetAccountSummary(kA)->users, 50);
  EXPECT_THAT(store_->CheckIntegrity(), IsOk());
}

TEST(OpenStoreTest, Urls) {
  // PostgreSQL needs the master key shared by every node: none given is an error.
  EXPECT_THAT(OpenStore({.url = "postgres://localhost/iamd"}), StatusIs(StatusCode::kInvalidInput, "master key"));
  EXPECT_THAT(OpenStore({.url = "mysql://x"}), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(OpenStore({.url = "sqlite://"}), StatusIs(StatusCode::kInvalidInput));
  EXPECT_THAT(OpenStore({.url = "sqlite:///nonexistent-dir/x/iamd.db"}), StatusIs(StatusCode::kServiceFailure));
  EXPECT_THAT(OpenStore({.url = "sqlite::memory:", .master_key = "short"}), StatusIs(StatusCode::kInvalidInput));
}

}  // namespace
}  // namespace iam::store::testing
