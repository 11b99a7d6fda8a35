#include "test_certs.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "text_files.hpp"

extern char** environ;

namespace rhc::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPassword = "rhc-test-password";

// One file for every step: `req` needs a distinguished_name section even when -subj gives the
// name, and each kind of certificate is one extensions section. Leaves carry the key
// identifiers OpenSSL 3's strict verification (which libcurl may turn on) expects.
constexpr const char* kOpensslConfig = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[wrong_name]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.invalid
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
)";

// Runs `openssl args...` and waits for it; its output goes to a log file in `dir` that the
// exception quotes when it fails. posix_spawnp, not fork: the test process has threads. Every
// file name passed is absolute (the process's working directory is not ours to change).
void openssl(const fs::path& dir, const std::vector<std::string>& args) {
  const fs::path log = dir / "openssl.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);

  std::vector<std::string> argv_strings{"openssl"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "openssl", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw std::runtime_error(std::string("test_certs: cannot run openssl (") +
                             std::strerror(spawned) +
                             "): apt-get install openssl (tools/dev.sh installs it)");
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string command = "openssl";
    for (const std::string& arg : args) command += " " + arg;
    // 127: posix_spawnp found no openssl (glibc reports that from the child).
    const bool missing = WIFEXITED(status) && WEXITSTATUS(status) == 127;
    throw std::runtime_error("test_certs: `" + command + "` failed" +
                             (missing ? " (apt-get install openssl)" : "") + ":\n" +
                             read_file(log));
  }
}

// The CA a certificate is signed with: its certificate and key, as file names in the folder.
struct Signer {
  std::string cert, key;
};

// `req -x509` makes a key and a certificate in one step: self-signed (a CA) without `signer`,
// signed by it with `-CA` (OpenSSL 3.0). `extensions` names a section of openssl.cnf.
void make_cert(const fs::path& dir, const std::string& subject, const std::string& extensions,
               const Signer* signer, const std::string& cert, const std::string& key) {
  std::vector<std::string> args{"req", "-x509", "-config", (dir / "openssl.cnf").string()};
  args.insert(args.end(), {"-extensions", extensions, "-subj", "/CN=" + subject, "-days", "30"});
  args.insert(args.end(), {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"});
  args.insert(args.end(), {"-keyout", (dir / key).string(), "-out", (dir / cert).string()});
  if (signer) {
    args.insert(args.end(),
                {"-CA", (dir / signer->cert).string(), "-CAkey", (dir / signer->key).string()});
  }
  openssl(dir, args);
}

// libcurl's pin: sha256 of the DER SubjectPublicKeyInfo, base64, prefixed "sha256//".
std::string pin_of(const fs::path& dir, const std::string& key) {
  const std::string der = (dir / (key + ".pub.der")).string();
  const std::string digest = (dir / (key + ".pub.sha256")).string();
  const fs::path base64 = dir / (key + ".pub.sha256.b64");
  openssl(dir, {"pkey", "-in", (dir / key).string(), "-pubout", "-outform", "DER", "-out", der});
  openssl(dir, {"dgst", "-sha256", "-binary", "-out", digest, der});
  openssl(dir, {"base64", "-A", "-in", digest, "-out", base64.string()});
  std::string text = read_file(base64);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return "sha256//" + text;
}

// A CA directory as OpenSSL looks certificates up in it (CURLOPT_CAPATH, tls.ca_path): the
// certificate under its subject-hash name, made by `openssl rehash`.
std::string make_ca_dir(const fs::path& dir, const std::string& name, const std::string& cert) {
  const fs::path ca_dir = dir / name;
  fs::create_directory(ca_dir);
  fs::copy_file(dir / cert, ca_dir / cert);
  openssl(dir, {"rehash", ca_dir.string()});
  return ca_dir.string();
}

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "rhc-test-certs.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "test_certs: mkdtemp " + pattern);
  }
  return pattern;
}

TestCerts make_certs() {
  const fs::path dir = make_temp_dir();
  try {
    write_file(dir / "openssl.cnf", kOpensslConfig);
    const Signer ca{"ca.pem", "ca.key"};
    const Signer wrong_ca{"wrong-ca.pem", "wrong-ca.key"};
    make_cert(dir, "rhc test CA", "ca", nullptr, ca.cert, ca.key);
    make_cert(dir, "localhost", "server", &ca, "server.pem", "server.key");
    make_cert(dir, "wrong.invalid", "wrong_name", &ca, "wrong-name.pem", "wrong-name.key");
    make_cert(dir, "rhc test client", "client", &ca, "client.pem", "client.key");
    openssl(dir,
            {"pkey", "-in", (dir / "client.key").string(), "-aes256", "-passout",
             std::string("pass:") + kPassword, "-out", (dir / "client-encrypted.key").string()});
    make_cert(dir, "rhc wrong CA", "ca", nullptr, wrong_ca.cert, wrong_ca.key);
    make_cert(dir, "rhc wrong client", "client", &wrong_ca, "wrong-client.pem", "wrong-client.key");

    TestCerts certs;
    certs.dir = dir.string();
    const auto path = [&dir](const char* name) { return (dir / name).string(); };
    certs.ca_cert = path("ca.pem");
    certs.ca_key = path("ca.key");
    certs.server_cert = path("server.pem");
    certs.server_key = path("server.key");
    certs.wrong_name_cert = path("wrong-name.pem");
    certs.wrong_name_key = path("wrong-name.key");
    certs.client_cert = path("client.pem");
    certs.client_key = path("client.key");
    certs.client_key_encrypted = path("client-encrypted.key");
    certs.client_key_password = kPassword;
    certs.wrong_ca_cert = path("wrong-ca.pem");
    certs.wrong_ca_key = path("wrong-ca.key");
    certs.wrong_client_cert = path("wrong-client.pem");
    certs.wrong_client_key = path("wrong-client.key");
    certs.server_pin = pin_of(dir, "server.key");
    certs.other_pin = pin_of(dir, "wrong-client.key");
    certs.ca_dir = make_ca_dir(dir, "ca-dir", ca.cert);
    certs.wrong_ca_dir = make_ca_dir(dir, "wrong-ca-dir", wrong_ca.cert);
    return certs;
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    throw;
  }
}

// Owns the folder: a function-local static of this type removes it at exit.
struct CertsDir {
  TestCerts certs = make_certs();
  ~CertsDir() {
    std::error_code ignored;
    fs::remove_all(certs.dir, ignored);
  }
};

}  // namespace

const TestCerts& test_certs() {
  static const CertsDir made;
  return made.certs;
}

}  // namespace rhc::testing
