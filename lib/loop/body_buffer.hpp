// A response body as it arrives: appended chunk by chunk on the loop thread, taken whole
// (as Response::text) at the end.
//
// Why not one std::string: growing a string copies it into a buffer twice its capacity, so at
// that moment the old and the new copy are both resident. When the last growth falls just
// short of the final size (a gzip body that decodes to just under max_response_bytes, say),
// a body of N bytes peaked at 2 N of memory (issue #19, item 8).
//
// So a body stays in one string only while it is small (up to kHeadBytes, or what reserve()
// sized it for). Beyond that, bytes go into fixed-size blocks mapped straight from the kernel,
// so growing never copies what has arrived, and take() copies the blocks into one string of
// the exact size, unmapping each block as soon as it is copied: the peak for N bytes is about
// N plus one block. Mapped, not malloc'd, so that a freed block goes back to the kernel at
// once whatever the allocator's state (glibc keeps smaller freed chunks in its arenas).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rhc::detail {

class BodyBuffer {
 public:
  // What a body may hold in its first string before it moves on to blocks, and a block's size.
  static constexpr std::size_t kHeadBytes = std::size_t{1} << 20;
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

  BodyBuffer() = default;
  BodyBuffer(const BodyBuffer&) = delete;
  BodyBuffer& operator=(const BodyBuffer&) = delete;
  BodyBuffer(BodyBuffer&& other) noexcept;
  BodyBuffer& operator=(BodyBuffer&& other) noexcept;
  ~BodyBuffer();

  // Sizes the first string for `n` bytes (the announced Content-Length, bounded by the
  // caller): a body of that size then arrives without a single copy.
  void reserve(std::size_t n);
  // Appends; false if memory could not be had (nothing is appended then). Never throws: it
  // runs inside a libcurl callback.
  bool append(const char* data, std::size_t n) noexcept;
  std::size_t size() const { return size_; }
  // Empties it, keeping the first string's capacity for the next attempt.
  void clear();
  // The whole body, leaving the buffer empty. A body that fitted the first string is moved
  // out as is; a larger one is copied into a string of the exact size, block by block.
  std::string take();

 private:
  struct Block {
    char* data = nullptr;
    std::size_t used = 0;
  };
  void release_blocks() noexcept;

  std::string head_;
  std::vector<Block> blocks_;
  std::size_t size_ = 0;
};

}  // namespace rhc::detail
