# MaividEmbedUi.cmake - maivid_embed_ui(VAR): the rule that turns MaiVid Studio's files
# (maivid-server/ui/) into C arrays (ui_assets_data.c in the calling folder's build folder, by
# maivid-server/embed_ui.cmake); VAR receives the generated file's path, to add to a target's
# sources (the server, and the fuzzers' copy of the server).
function(maivid_embed_ui out_var)
  set(server_dir ${PROJECT_SOURCE_DIR}/maivid-server)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/ui_assets_data.c)
  file(GLOB_RECURSE ui_files CONFIGURE_DEPENDS ${server_dir}/ui/*)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DUI_DIR=${server_dir}/ui -DOUT=${out} -P ${server_dir}/embed_ui.cmake
    DEPENDS ${ui_files} ${server_dir}/embed_ui.cmake
    COMMENT "Embedding MaiVid Studio (maivid-server/ui)")
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
