#!/usr/bin/env python3
"""Makes a layer's include view: a folder of symlinks to the lib/ folders it may use.

    include_view.py VIEW_DIR LIB_DIR FOLDER [FOLDER ...]

lib/meson.build compiles each lib/ folder with -I VIEW_DIR instead of -I lib/, so
`#include "chain/request.hpp"` resolves only when chain/ is one of the FOLDERs: an include
that goes the wrong way up the stack fails to compile. The view is rebuilt from scratch each
time, so a folder removed from a layer's list disappears from its view.
"""
import os
import shutil
import sys


def main() -> int:
    view, lib, folders = sys.argv[1], sys.argv[2], sys.argv[3:]
    if os.path.isdir(view):
        shutil.rmtree(view)
    os.makedirs(view)
    for folder in folders:
        target = os.path.join(lib, folder)
        if not os.path.isdir(target):
            print(f"include_view.py: no such lib folder: {folder}", file=sys.stderr)
            return 1
        os.symlink(os.path.abspath(target), os.path.join(view, folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
