// BodyBuffer: a response body appended chunk by chunk and taken whole, byte for byte, whether
// it stayed in its first string or spilled into blocks.
#include <catch2/catch.hpp>

#include <string>

#include "loop/body_buffer.hpp"

using rhc::detail::BodyBuffer;

namespace {

// `n` bytes that differ from one position to the next, so a misplaced byte shows.
std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

// Appends `data` in chunks of `chunk` bytes.
void feed(BodyBuffer& b, const std::string& data, std::size_t chunk) {
  bool appended = true;
  for (std::size_t at = 0; appended && at < data.size(); at += chunk) {
    appended = b.append(data.data() + at, std::min(chunk, data.size() - at));
  }
  REQUIRE(appended);
}

}  // namespace

TEST_CASE("a small body is kept in one string and moved out", "[loop][body]") {
  BodyBuffer b;
  const std::string data = pattern(100'000);
  feed(b, data, 16'384);
  CHECK(b.size() == data.size());
  CHECK(b.take() == data);
  CHECK(b.size() == 0);
  CHECK(b.take().empty());
}

TEST_CASE("a large body crosses into blocks and comes back byte for byte", "[loop][body]") {
  const std::size_t sizes[] = {BodyBuffer::kHeadBytes, BodyBuffer::kHeadBytes + 1,
                               BodyBuffer::kHeadBytes + BodyBuffer::kBlockBytes,
                               3 * BodyBuffer::kBlockBytes + 12'345};
  const std::size_t chunks[] = {1, 16'384, 1'000'003, 5 * BodyBuffer::kBlockBytes};
  for (std::size_t size : sizes) {
    for (std::size_t chunk : chunks) {
      if (chunk == 1 && size > BodyBuffer::kHeadBytes + 1) continue;  // slow, nothing new
      INFO("size " << size << ", chunks of " << chunk);
      BodyBuffer b;
      const std::string data = pattern(size);
      feed(b, data, chunk);
      CHECK(b.size() == size);
      const std::string taken = b.take();
      CHECK(taken.size() == size);
      CHECK(taken == data);
      CHECK(b.size() == 0);
    }
  }
}

TEST_CASE("reserve sizes the first string; clear and reuse start afresh", "[loop][body]") {
  BodyBuffer b;
  b.reserve(3 * BodyBuffer::kHeadBytes);  // the head takes all of it: no blocks
  const std::string big = pattern(3 * BodyBuffer::kHeadBytes);
  feed(b, big, 65'536);
  CHECK(b.take() == big);

  feed(b, pattern(4 * BodyBuffer::kBlockBytes), 65'536);
  b.clear();
  CHECK(b.size() == 0);
  const std::string again = pattern(2 * BodyBuffer::kBlockBytes + 7);
  feed(b, again, 100'000);
  CHECK(b.take() == again);
}

TEST_CASE("a moved body buffer carries its blocks", "[loop][body]") {
  BodyBuffer a;
  const std::string data = pattern(2 * BodyBuffer::kBlockBytes + 99);
  feed(a, data, 300'000);
  BodyBuffer b(std::move(a));
  CHECK(b.size() == data.size());
  BodyBuffer c;
  feed(c, pattern(5 * BodyBuffer::kBlockBytes), 1 << 20);
  c = std::move(b);  // c's own blocks are released
  CHECK(c.take() == data);
}
