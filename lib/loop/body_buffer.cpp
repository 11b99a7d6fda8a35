#include "loop/body_buffer.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

namespace rhc::detail {

BodyBuffer::BodyBuffer(BodyBuffer&& other) noexcept
    : head_(std::move(other.head_)),
      blocks_(std::move(other.blocks_)),
      size_(std::exchange(other.size_, 0)) {
  other.blocks_.clear();
}

BodyBuffer& BodyBuffer::operator=(BodyBuffer&& other) noexcept {
  if (this != &other) {
    release_blocks();
    head_ = std::move(other.head_);
    blocks_ = std::move(other.blocks_);
    other.blocks_.clear();
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

BodyBuffer::~BodyBuffer() { release_blocks(); }

void BodyBuffer::release_blocks() noexcept {
  for (const Block& block : blocks_) munmap(block.data, kBlockBytes);
  blocks_.clear();
}

void BodyBuffer::reserve(std::size_t n) {
  if (blocks_.empty()) head_.reserve(n);
}

bool BodyBuffer::append(const char* data, std::size_t n) noexcept {
  if (blocks_.empty() && head_.size() + n <= std::max(head_.capacity(), kHeadBytes)) {
    // Small: one string, grown as strings grow (by at most kHeadBytes in all).
    try {
      head_.append(data, n);
    } catch (const std::bad_alloc&) {
      return false;
    }
    size_ += n;
    return true;
  }
  // Large: fill the last block, then as many new ones as it takes.
  const std::size_t old_blocks = blocks_.size();
  const char* const start = data;
  while (n > 0) {
    if (blocks_.empty() || blocks_.back().used == kBlockBytes) {
      void* mapped =
          mmap(nullptr, kBlockBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      bool stored = mapped != MAP_FAILED;
      if (stored) {
        try {
          blocks_.push_back(Block{static_cast<char*>(mapped), 0});
        } catch (const std::bad_alloc&) {
          munmap(mapped, kBlockBytes);
          stored = false;
        }
      }
      if (!stored) {
        // Undo this call's bytes, so that the buffer holds what it held before.
        std::size_t appended = static_cast<std::size_t>(data - start);
        size_ -= appended;
        while (blocks_.size() > old_blocks) {
          appended -= blocks_.back().used;
          munmap(blocks_.back().data, kBlockBytes);
          blocks_.pop_back();
        }
        if (appended > 0) blocks_.back().used -= appended;  // the block that was not new
        return false;
      }
    }
    Block& block = blocks_.back();
    const std::size_t chunk = std::min(n, kBlockBytes - block.used);
    std::memcpy(block.data + block.used, data, chunk);
    block.used += chunk;
    data += chunk;
    n -= chunk;
    size_ += chunk;
  }
  return true;
}

void BodyBuffer::clear() {
  release_blocks();
  head_.clear();
  size_ = 0;
}

std::string BodyBuffer::take() {
  if (blocks_.empty()) {
    size_ = 0;
    std::string body = std::move(head_);
    head_.clear();  // a moved-from string is only valid; the next attempt wants it empty
    return body;
  }
  std::string body;
  body.reserve(size_);  // address space only: a page becomes resident when written
  body.append(head_);
  head_ = std::string();
  for (Block& block : blocks_) {
    body.append(block.data, block.used);
    munmap(block.data, kBlockBytes);  // back to the kernel as soon as it is copied
    block.data = nullptr;
  }
  blocks_.clear();
  size_ = 0;
  return body;
}

}  // namespace rhc::detail
