// Crash test: a child process writes to an on-disk store as fast as it can
// and is killed with SIGKILL at a random moment. After each kill the store
// must open, pass its integrity check, keep its generation, and hold every
// write the child had acknowledged (acks travel over a pipe after commit).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>

#include "store_fixture.h"

namespace iam::store::testing {
namespace {

constexpr char kAcct[] = "111111111111";
constexpr int kKills = 60;

std::string UserName(int i) { return "u" + std::to_string(i); }

void Say(int fd, const std::string& line) {
  std::string l = line + "\n";
  if (::write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size())) _exit(3);
}

// The child: from index `start`, create user i with a tag and an inline
// policy in one transaction; every third step also delete user i-2 (created
// in this run) with its policy in one transaction. "B op i" is said before
// an operation, "A op i generation" after it committed.
[[noreturn]] void ChildLoop(const std::string& url, int start, int fd) {
  auto opened = OpenStore({.url = url});
  if (!opened.ok()) _exit(2);
  std::unique_ptr<Store> store = std::move(opened).value();
  for (int i = start;; ++i) {
    Say(fd, "B C " + std::to_string(i));
    Status s = store->Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
      auto u = t.CreateUser(kAcct, {.name = UserName(i), .tags = {{"i", std::to_string(i)}}});
      if (!u.ok()) return u.status();
      return t.PutInlinePolicy(kAcct, {PrincipalKind::kUser, UserName(i)}, "p", "{\"i\":" + std::to_string(i) + "}");
    });
    if (!s.ok()) _exit(4);
    Say(fd, "A C " + std::to_string(i) + " " + std::to_string(store->Generation()));
    if (i % 3 == 2 && i - 2 >= start) {
      int j = i - 2;
      Say(fd, "B D " + std::to_string(j));
      s = store->Transact(TxnMode::kWrite, [&](StoreOps& t) -> Status {
        Status d = t.DeleteInlinePolicy(kAcct, {PrincipalKind::kUser, UserName(j)}, "p");
        if (!d.ok()) return d;
        return t.DeleteUser(kAcct, UserName(j));
      });
      if (!s.ok()) _exit(5);
      Say(fd, "A D " + std::to_string(j) + " " + std::to_string(store->Generation()));
    }
  }
}

TEST(StoreCrashTest, SigkillNeverLosesAcknowledgedWrites) {
  std::string dir = MakeTempDir();
  std::string url = "sqlite://" + dir + "/iamd.db";
  {
    auto s = OpenStore({.url = url});
    ASSERT_THAT(s, IsOk());
    ASSERT_THAT((*s)->CreateAccount(kAcct, ""), IsOk());
  }
  std::mt19937 rng(std::random_device{}());
  std::map<int, bool> expected;  // user index -> present
  int next = 0, kills = 0, acked_ops = 0;
  int64_t acked_generation = 0;
  for (int round = 0; round < kKills; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      ChildLoop(url, next, fds[1]);
    }
    ::close(fds[1]);
    // Let the child get one write acknowledged (so every kill lands while it
    // is writing, however loaded the machine), then kill at a random moment.
    std::string acks;
    char buf[4096];
    while (acks.find("A ") == std::string::npos) {
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      acks.append(buf, n);
    }
    ::usleep(std::uniform_int_distribution<int>(0, 30000)(rng));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited on its own with " << WEXITSTATUS(status);
    ++kills;

    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) acks.append(buf, n);
    ::close(fds[0]);
    std::istringstream in(acks);
    std::string line;
    int in_flight = -1;
    while (std::getline(in, line)) {
      std::istringstream l(line);
      char kind, op;
      int i;
      l >> kind >> op >> i;
      if (!l) break;  // A torn last line: the child died mid-write.
      if (kind == 'B') {
        in_flight = i;
        next = std::max(next, i + 1);
        continue;
      }
      int64_t g = 0;
      l >> g;
      EXPECT_GT(g, acked_generation);
      acked_generation = g;
      expected[i] = op == 'C';
      in_flight = -1;
      ++acked_ops;
    }

    auto opened = OpenStore({.url = url});
    ASSERT_THAT(opened, IsOk()) << "round " << round;
    Store& store = **opened;
    ASSERT_THAT(store.CheckIntegrity(), IsOk()) << "round " << round;
    EXPECT_GE(store.Generation(), acked_generation);
    for (const auto& [i, present] : expected) {
      if (i == in_flight) continue;  // May or may not have committed.
      auto u = store.GetUser(kAcct, UserName(i));
      if (present) {
        ASSERT_THAT(u, IsOk()) << "acknowledged user " << i << " lost in round " << round;
        ASSERT_EQ(u->tags.size(), 1u);
        ASSERT_THAT(store.GetInlinePolicy(kAcct, {PrincipalKind::kUser, UserName(i)}, "p"), IsOk());
      } else {
        ASSERT_THAT(u, StatusIs(StatusCode::kNoSuchEntity)) << "acknowledged delete of " << i << " undone";
      }
    }
    if (in_flight >= 0) {  // Learn what became of the unacknowledged operation.
      auto u = store.GetUser(kAcct, UserName(in_flight));
      expected[in_flight] = u.ok();
      if (u.ok()) {
        ASSERT_THAT(store.GetInlinePolicy(kAcct, {PrincipalKind::kUser, UserName(in_flight)}, "p"), IsOk());
      }
    }
    acked_generation = store.Generation();
    next += 1;  // Skip the in-flight index whatever became of it.
  }
  std::printf("crash test: %d SIGKILLs, %d acknowledged transactions verified\n", kills, acked_ops);
  RecordProperty("kills", kills);
  RecordProperty("acknowledged", acked_ops);
  EXPECT_EQ(kills, kKills);
  EXPECT_GE(acked_ops, kKills);  // At least one acknowledged write per run.
  RemoveTree(dir);
}

}  // namespace
}  // namespace iam::store::testing
