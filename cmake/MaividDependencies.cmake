# Finds every dependency from its Debian 12 package; a missing one stops configure with the
# package to install.
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install it with 'apt-get install pkg-config' "
                      "(or run scripts/install-deps.sh as root)")
endif()

function(maivid_require_pc target module debian_package)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} not found: install it with 'apt-get install ${debian_package}' "
                        "(or run scripts/install-deps.sh as root)")
  endif()
endfunction()

maivid_require_pc(MV_CJSON libcjson libcjson-dev)
maivid_require_pc(MV_CURL libcurl libcurl4-openssl-dev)
maivid_require_pc(MV_AVFORMAT libavformat libavformat-dev)
maivid_require_pc(MV_AVCODEC libavcodec libavcodec-dev)
maivid_require_pc(MV_AVFILTER libavfilter libavfilter-dev)
maivid_require_pc(MV_SWSCALE libswscale libswscale-dev)
maivid_require_pc(MV_SWRESAMPLE libswresample libswresample-dev)
maivid_require_pc(MV_AVUTIL libavutil libavutil-dev)
maivid_require_pc(MV_AUBIO aubio libaubio-dev)
# libass shapes and rasterises the burned-in captions (fonts found through fontconfig).
maivid_require_pc(MV_LIBASS libass libass-dev)
maivid_require_pc(MV_CRYPTO libcrypto libssl-dev)
# The shared job queue's client (libmaivid/queue/): Redis Streams through hiredis.
maivid_require_pc(MV_HIREDIS hiredis libhiredis-dev)
# The painter's depth-layer PNGs are written and read a row at a time through libpng, so a
# scene's stacked layers are never held whole in memory (issue 15).
maivid_require_pc(MV_LIBPNG libpng libpng-dev)

# Debian's civetweb CMake package also demands /usr/bin/civetweb (package civetweb), which we
# do not need, and there is no .pc file: find the header and library directly.
find_path(MV_CIVETWEB_INCLUDE_DIR civetweb.h)
find_library(MV_CIVETWEB_LIBRARY civetweb)
if(NOT MV_CIVETWEB_INCLUDE_DIR OR NOT MV_CIVETWEB_LIBRARY)
  message(FATAL_ERROR "CivetWeb not found: install it with 'apt-get install libcivetweb-dev' "
                      "(or run scripts/install-deps.sh as root)")
endif()
add_library(civetweb::civetweb UNKNOWN IMPORTED)
set_target_properties(civetweb::civetweb PROPERTIES IMPORTED_LOCATION ${MV_CIVETWEB_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${MV_CIVETWEB_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES "dl;pthread")

find_package(Threads REQUIRED)

if(MAIVID_BUILD_TESTS)
  maivid_require_pc(MV_CMOCKA cmocka libcmocka-dev)
endif()
