// The supplemental TLS, TLS-engine and HTTP headers and the nanomsg compat
// headers, as a C or C++ program sees them: every function upstream 1.12
// declares must link, with exactly upstream's prototype (each is assigned
// to a pointer of the upstream type without a cast, so a mismatch fails to
// compile), and the constants and struct layouts must be upstream's.
// Also compiled as C++ (supplemental_api_cxx.cc).

#include <stddef.h>

#include <nng/nng.h>
#include <nng/supplemental/http/http.h>
#include <nng/supplemental/tls/engine.h>
#include <nng/supplemental/tls/tls.h>

#include <nng/compat/nanomsg/bus.h>
#include <nng/compat/nanomsg/inproc.h>
#include <nng/compat/nanomsg/ipc.h>
#include <nng/compat/nanomsg/nn.h>
#include <nng/compat/nanomsg/pair.h>
#include <nng/compat/nanomsg/pipeline.h>
#include <nng/compat/nanomsg/pubsub.h>
#include <nng/compat/nanomsg/reqrep.h>
#include <nng/compat/nanomsg/survey.h>
#include <nng/compat/nanomsg/tcp.h>
#include <nng/compat/nanomsg/ws.h>

#include "nuts.h"

// Upstream v1.12.0 prototypes (tls.h, engine.h, http.h, nn.h).
static int (*const p_nng_tls_config_alloc)(nng_tls_config **, nng_tls_mode) = nng_tls_config_alloc;
static void (*const p_nng_tls_config_hold)(nng_tls_config *) = nng_tls_config_hold;
static void (*const p_nng_tls_config_free)(nng_tls_config *) = nng_tls_config_free;
static int (*const p_nng_tls_config_server_name)(nng_tls_config *, const char *) = nng_tls_config_server_name;
static int (*const p_nng_tls_config_ca_chain)(nng_tls_config *, const char *, const char *) = nng_tls_config_ca_chain;
static int (*const p_nng_tls_config_own_cert)(nng_tls_config *, const char *, const char *, const char *) = nng_tls_config_own_cert;
static int (*const p_nng_tls_config_key)(nng_tls_config *, const uint8_t *, size_t) = nng_tls_config_key;
static int (*const p_nng_tls_config_pass)(nng_tls_config *, const char *) = nng_tls_config_pass;
static int (*const p_nng_tls_config_auth_mode)(nng_tls_config *, nng_tls_auth_mode) = nng_tls_config_auth_mode;
static int (*const p_nng_tls_config_ca_file)(nng_tls_config *, const char *) = nng_tls_config_ca_file;
static int (*const p_nng_tls_config_cert_key_file)(nng_tls_config *, const char *, const char *) = nng_tls_config_cert_key_file;
static int (*const p_nng_tls_config_psk)(nng_tls_config *, const char *, const uint8_t *, size_t) = nng_tls_config_psk;
static int (*const p_nng_tls_config_version)(nng_tls_config *, nng_tls_version, nng_tls_version) = nng_tls_config_version;
static const char * (*const p_nng_tls_engine_name)(void) = nng_tls_engine_name;
static const char * (*const p_nng_tls_engine_description)(void) = nng_tls_engine_description;
static bool (*const p_nng_tls_engine_fips_mode)(void) = nng_tls_engine_fips_mode;
static int (*const p_nng_tls_engine_register)(const nng_tls_engine *) = nng_tls_engine_register;
static int (*const p_nng_tls_engine_send)(void *, const uint8_t *, size_t *) = nng_tls_engine_send;
static int (*const p_nng_tls_engine_recv)(void *, uint8_t *, size_t *) = nng_tls_engine_recv;
static int (*const p_nng_http_req_alloc)(nng_http_req **, const nng_url *) = nng_http_req_alloc;
static void (*const p_nng_http_req_free)(nng_http_req *) = nng_http_req_free;
static const char * (*const p_nng_http_req_get_method)(nng_http_req *) = nng_http_req_get_method;
static const char * (*const p_nng_http_req_get_version)(nng_http_req *) = nng_http_req_get_version;
static const char * (*const p_nng_http_req_get_uri)(nng_http_req *) = nng_http_req_get_uri;
static int (*const p_nng_http_req_set_header)(nng_http_req *, const char *, const char *) = nng_http_req_set_header;
static int (*const p_nng_http_req_add_header)(nng_http_req *, const char *, const char *) = nng_http_req_add_header;
static int (*const p_nng_http_req_del_header)(nng_http_req *, const char *) = nng_http_req_del_header;
static const char * (*const p_nng_http_req_get_header)(nng_http_req *, const char *) = nng_http_req_get_header;
static int (*const p_nng_http_req_set_method)(nng_http_req *, const char *) = nng_http_req_set_method;
static int (*const p_nng_http_req_set_version)(nng_http_req *, const char *) = nng_http_req_set_version;
static int (*const p_nng_http_req_set_uri)(nng_http_req *, const char *) = nng_http_req_set_uri;
static int (*const p_nng_http_req_set_data)(nng_http_req *, const void *, size_t) = nng_http_req_set_data;
static int (*const p_nng_http_req_copy_data)(nng_http_req *, const void *, size_t) = nng_http_req_copy_data;
static void (*const p_nng_http_req_get_data)(nng_http_req *, void **, size_t *) = nng_http_req_get_data;
static int (*const p_nng_http_res_alloc)(nng_http_res **) = nng_http_res_alloc;
static int (*const p_nng_http_res_alloc_error)(nng_http_res **, uint16_t) = nng_http_res_alloc_error;
static void (*const p_nng_http_res_free)(nng_http_res *) = nng_http_res_free;
static uint16_t (*const p_nng_http_res_get_status)(nng_http_res *) = nng_http_res_get_status;
static int (*const p_nng_http_res_set_status)(nng_http_res *, uint16_t) = nng_http_res_set_status;
static const char * (*const p_nng_http_res_get_reason)(nng_http_res *) = nng_http_res_get_reason;
static int (*const p_nng_http_res_set_reason)(nng_http_res *, const char *) = nng_http_res_set_reason;
static int (*const p_nng_http_res_set_header)(nng_http_res *, const char *, const char *) = nng_http_res_set_header;
static int (*const p_nng_http_res_add_header)(nng_http_res *, const char *, const char *) = nng_http_res_add_header;
static int (*const p_nng_http_res_del_header)(nng_http_res *, const char *) = nng_http_res_del_header;
static const char * (*const p_nng_http_res_get_header)(nng_http_res *, const char *) = nng_http_res_get_header;
static int (*const p_nng_http_res_set_version)(nng_http_res *, const char *) = nng_http_res_set_version;
static const char * (*const p_nng_http_res_get_version)(nng_http_res *) = nng_http_res_get_version;
static void (*const p_nng_http_res_get_data)(nng_http_res *, void **, size_t *) = nng_http_res_get_data;
static int (*const p_nng_http_res_set_data)(nng_http_res *, const void *, size_t) = nng_http_res_set_data;
static int (*const p_nng_http_res_copy_data)(nng_http_res *, const void *, size_t) = nng_http_res_copy_data;
static void (*const p_nng_http_conn_close)(nng_http_conn *) = nng_http_conn_close;
static void (*const p_nng_http_conn_read)(nng_http_conn *, nng_aio *) = nng_http_conn_read;
static void (*const p_nng_http_conn_read_all)(nng_http_conn *, nng_aio *) = nng_http_conn_read_all;
static void (*const p_nng_http_conn_write)(nng_http_conn *, nng_aio *) = nng_http_conn_write;
static void (*const p_nng_http_conn_write_all)(nng_http_conn *, nng_aio *) = nng_http_conn_write_all;
static void (*const p_nng_http_conn_write_req)(nng_http_conn *, nng_http_req *, nng_aio *) = nng_http_conn_write_req;
static void (*const p_nng_http_conn_write_res)(nng_http_conn *, nng_http_res *, nng_aio *) = nng_http_conn_write_res;
static void (*const p_nng_http_conn_read_req)(nng_http_conn *, nng_http_req *, nng_aio *) = nng_http_conn_read_req;
static void (*const p_nng_http_conn_read_res)(nng_http_conn *, nng_http_res *, nng_aio *) = nng_http_conn_read_res;
static void (*const p_nng_http_req_reset)(nng_http_req *) = nng_http_req_reset;
static void (*const p_nng_http_res_reset)(nng_http_res *) = nng_http_res_reset;
static int (*const p_nng_http_handler_alloc)(nng_http_handler **, const char *, void (*)(nng_aio *)) = nng_http_handler_alloc;
static void (*const p_nng_http_handler_free)(nng_http_handler *) = nng_http_handler_free;
static int (*const p_nng_http_handler_alloc_file)(nng_http_handler **, const char *, const char *) = nng_http_handler_alloc_file;
static int (*const p_nng_http_handler_alloc_static)(nng_http_handler **, const char *, const void *, size_t, const char *) = nng_http_handler_alloc_static;
static int (*const p_nng_http_handler_alloc_redirect)(nng_http_handler **, const char *, uint16_t, const char *) = nng_http_handler_alloc_redirect;
static int (*const p_nng_http_handler_alloc_directory)(nng_http_handler **, const char *, const char *) = nng_http_handler_alloc_directory;
static int (*const p_nng_http_handler_set_method)(nng_http_handler *, const char *) = nng_http_handler_set_method;
static int (*const p_nng_http_handler_set_host)(nng_http_handler *, const char *) = nng_http_handler_set_host;
static int (*const p_nng_http_handler_collect_body)(nng_http_handler *, bool, size_t) = nng_http_handler_collect_body;
static int (*const p_nng_http_handler_set_tree)(nng_http_handler *) = nng_http_handler_set_tree;
static int (*const p_nng_http_handler_set_tree_exclusive)(nng_http_handler *) = nng_http_handler_set_tree_exclusive;
static int (*const p_nng_http_handler_set_data)(nng_http_handler *, void *, void (*)(void *)) = nng_http_handler_set_data;
static void * (*const p_nng_http_handler_get_data)(nng_http_handler *) = nng_http_handler_get_data;
static int (*const p_nng_http_server_hold)(nng_http_server **, const nng_url *) = nng_http_server_hold;
static void (*const p_nng_http_server_release)(nng_http_server *) = nng_http_server_release;
static int (*const p_nng_http_server_start)(nng_http_server *) = nng_http_server_start;
static void (*const p_nng_http_server_stop)(nng_http_server *) = nng_http_server_stop;
static int (*const p_nng_http_server_add_handler)(nng_http_server *, nng_http_handler *) = nng_http_server_add_handler;
static int (*const p_nng_http_server_del_handler)(nng_http_server *, nng_http_handler *) = nng_http_server_del_handler;
static int (*const p_nng_http_server_set_tls)(nng_http_server *, struct nng_tls_config *) = nng_http_server_set_tls;
static int (*const p_nng_http_server_get_tls)(nng_http_server *, struct nng_tls_config **) = nng_http_server_get_tls;
static int (*const p_nng_http_server_get_addr)(nng_http_server *, nng_sockaddr *) = nng_http_server_get_addr;
static int (*const p_nng_http_server_set_error_page)(nng_http_server *, uint16_t, const char *) = nng_http_server_set_error_page;
static int (*const p_nng_http_server_set_error_file)(nng_http_server *, uint16_t, const char *) = nng_http_server_set_error_file;
static int (*const p_nng_http_server_res_error)(nng_http_server *, nng_http_res *) = nng_http_server_res_error;
static int (*const p_nng_http_hijack)(nng_http_conn *) = nng_http_hijack;
static int (*const p_nng_http_client_alloc)(nng_http_client **, const nng_url *) = nng_http_client_alloc;
static void (*const p_nng_http_client_free)(nng_http_client *) = nng_http_client_free;
static int (*const p_nng_http_client_set_tls)(nng_http_client *, struct nng_tls_config *) = nng_http_client_set_tls;
static int (*const p_nng_http_client_get_tls)(nng_http_client *, struct nng_tls_config **) = nng_http_client_get_tls;
static void (*const p_nng_http_client_connect)(nng_http_client *, nng_aio *) = nng_http_client_connect;
static void (*const p_nng_http_conn_transact)(nng_http_conn *, nng_http_req *, nng_http_res *, nng_aio *) = nng_http_conn_transact;
static void (*const p_nng_http_client_transact)(nng_http_client *, nng_http_req *, nng_http_res *, nng_aio *) = nng_http_client_transact;
static struct nn_cmsghdr * (*const p_nn_cmsg_next)(struct nn_msghdr *, struct nn_cmsghdr *) = nn_cmsg_next;
static int (*const p_nn_socket)(int, int) = nn_socket;
static int (*const p_nn_setsockopt)(int, int, int, const void *, size_t) = nn_setsockopt;
static int (*const p_nn_getsockopt)(int, int, int, void *, size_t *) = nn_getsockopt;
static int (*const p_nn_bind)(int, const char *) = nn_bind;
static int (*const p_nn_connect)(int, const char *) = nn_connect;
static int (*const p_nn_shutdown)(int, int) = nn_shutdown;
static int (*const p_nn_send)(int, const void *, size_t, int) = nn_send;
static int (*const p_nn_recv)(int, void *, size_t, int) = nn_recv;
static int (*const p_nn_sendmsg)(int, const struct nn_msghdr *, int) = nn_sendmsg;
static int (*const p_nn_recvmsg)(int, struct nn_msghdr *, int) = nn_recvmsg;
static int (*const p_nn_close)(int) = nn_close;
static int (*const p_nn_poll)(struct nn_pollfd *, int, int) = nn_poll;
static int (*const p_nn_device)(int, int) = nn_device;
static uint64_t (*const p_nn_get_statistic)(int, int) = nn_get_statistic;
static void * (*const p_nn_allocmsg)(size_t, int) = nn_allocmsg;
static void * (*const p_nn_reallocmsg)(void *, size_t) = nn_reallocmsg;
static int (*const p_nn_freemsg)(void *) = nn_freemsg;
static int (*const p_nn_errno)(void) = nn_errno;
static const char * (*const p_nn_strerror)(int) = nn_strerror;
static void (*const p_nn_term)(void) = nn_term;

typedef struct {
	const char *name;
	void (*fn)(void);
} api_fn;

static const api_fn api_fns[] = {
	{ "nng_tls_config_alloc", (void (*)(void)) p_nng_tls_config_alloc },
	{ "nng_tls_config_hold", (void (*)(void)) p_nng_tls_config_hold },
	{ "nng_tls_config_free", (void (*)(void)) p_nng_tls_config_free },
	{ "nng_tls_config_server_name", (void (*)(void)) p_nng_tls_config_server_name },
	{ "nng_tls_config_ca_chain", (void (*)(void)) p_nng_tls_config_ca_chain },
	{ "nng_tls_config_own_cert", (void (*)(void)) p_nng_tls_config_own_cert },
	{ "nng_tls_config_key", (void (*)(void)) p_nng_tls_config_key },
	{ "nng_tls_config_pass", (void (*)(void)) p_nng_tls_config_pass },
	{ "nng_tls_config_auth_mode", (void (*)(void)) p_nng_tls_config_auth_mode },
	{ "nng_tls_config_ca_file", (void (*)(void)) p_nng_tls_config_ca_file },
	{ "nng_tls_config_cert_key_file", (void (*)(void)) p_nng_tls_config_cert_key_file },
	{ "nng_tls_config_psk", (void (*)(void)) p_nng_tls_config_psk },
	{ "nng_tls_config_version", (void (*)(void)) p_nng_tls_config_version },
	{ "nng_tls_engine_name", (void (*)(void)) p_nng_tls_engine_name },
	{ "nng_tls_engine_description", (void (*)(void)) p_nng_tls_engine_description },
	{ "nng_tls_engine_fips_mode", (void (*)(void)) p_nng_tls_engine_fips_mode },
	{ "nng_tls_engine_register", (void (*)(void)) p_nng_tls_engine_register },
	{ "nng_tls_engine_send", (void (*)(void)) p_nng_tls_engine_send },
	{ "nng_tls_engine_recv", (void (*)(void)) p_nng_tls_engine_recv },
	{ "nng_http_req_alloc", (void (*)(void)) p_nng_http_req_alloc },
	{ "nng_http_req_free", (void (*)(void)) p_nng_http_req_free },
	{ "nng_http_req_get_method", (void (*)(void)) p_nng_http_req_get_method },
	{ "nng_http_req_get_version", (void (*)(void)) p_nng_http_req_get_version },
	{ "nng_http_req_get_uri", (void (*)(void)) p_nng_http_req_get_uri },
	{ "nng_http_req_set_header", (void (*)(void)) p_nng_http_req_set_header },
	{ "nng_http_req_add_header", (void (*)(void)) p_nng_http_req_add_header },
	{ "nng_http_req_del_header", (void (*)(void)) p_nng_http_req_del_header },
	{ "nng_http_req_get_header", (void (*)(void)) p_nng_http_req_get_header },
	{ "nng_http_req_set_method", (void (*)(void)) p_nng_http_req_set_method },
	{ "nng_http_req_set_version", (void (*)(void)) p_nng_http_req_set_version },
	{ "nng_http_req_set_uri", (void (*)(void)) p_nng_http_req_set_uri },
	{ "nng_http_req_set_data", (void (*)(void)) p_nng_http_req_set_data },
	{ "nng_http_req_copy_data", (void (*)(void)) p_nng_http_req_copy_data },
	{ "nng_http_req_get_data", (void (*)(void)) p_nng_http_req_get_data },
	{ "nng_http_res_alloc", (void (*)(void)) p_nng_http_res_alloc },
	{ "nng_http_res_alloc_error", (void (*)(void)) p_nng_http_res_alloc_error },
	{ "nng_http_res_free", (void (*)(void)) p_nng_http_res_free },
	{ "nng_http_res_get_status", (void (*)(void)) p_nng_http_res_get_status },
	{ "nng_http_res_set_status", (void (*)(void)) p_nng_http_res_set_status },
	{ "nng_http_res_get_reason", (void (*)(void)) p_nng_http_res_get_reason },
	{ "nng_http_res_set_reason", (void (*)(void)) p_nng_http_res_set_reason },
	{ "nng_http_res_set_header", (void (*)(void)) p_nng_http_res_set_header },
	{ "nng_http_res_add_header", (void (*)(void)) p_nng_http_res_add_header },
	{ "nng_http_res_del_header", (void (*)(void)) p_nng_http_res_del_header },
	{ "nng_http_res_get_header", (void (*)(void)) p_nng_http_res_get_header },
	{ "nng_http_res_set_version", (void (*)(void)) p_nng_http_res_set_version },
	{ "nng_http_res_get_version", (void (*)(void)) p_nng_http_res_get_version },
	{ "nng_http_res_get_data", (void (*)(void)) p_nng_http_res_get_data },
	{ "nng_http_res_set_data", (void (*)(void)) p_nng_http_res_set_data },
	{ "nng_http_res_copy_data", (void (*)(void)) p_nng_http_res_copy_data },
	{ "nng_http_conn_close", (void (*)(void)) p_nng_http_conn_close },
	{ "nng_http_conn_read", (void (*)(void)) p_nng_http_conn_read },
	{ "nng_http_conn_read_all", (void (*)(void)) p_nng_http_conn_read_all },
	{ "nng_http_conn_write", (void (*)(void)) p_nng_http_conn_write },
	{ "nng_http_conn_write_all", (void (*)(void)) p_nng_http_conn_write_all },
	{ "nng_http_conn_write_req", (void (*)(void)) p_nng_http_conn_write_req },
	{ "nng_http_conn_write_res", (void (*)(void)) p_nng_http_conn_write_res },
	{ "nng_http_conn_read_req", (void (*)(void)) p_nng_http_conn_read_req },
	{ "nng_http_conn_read_res", (void (*)(void)) p_nng_http_conn_read_res },
	{ "nng_http_req_reset", (void (*)(void)) p_nng_http_req_reset },
	{ "nng_http_res_reset", (void (*)(void)) p_nng_http_res_reset },
	{ "nng_http_handler_alloc", (void (*)(void)) p_nng_http_handler_alloc },
	{ "nng_http_handler_free", (void (*)(void)) p_nng_http_handler_free },
	{ "nng_http_handler_alloc_file", (void (*)(void)) p_nng_http_handler_alloc_file },
	{ "nng_http_handler_alloc_static", (void (*)(void)) p_nng_http_handler_alloc_static },
	{ "nng_http_handler_alloc_redirect", (void (*)(void)) p_nng_http_handler_alloc_redirect },
	{ "nng_http_handler_alloc_directory", (void (*)(void)) p_nng_http_handler_alloc_directory },
	{ "nng_http_handler_set_method", (void (*)(void)) p_nng_http_handler_set_method },
	{ "nng_http_handler_set_host", (void (*)(void)) p_nng_http_handler_set_host },
	{ "nng_http_handler_collect_body", (void (*)(void)) p_nng_http_handler_collect_body },
	{ "nng_http_handler_set_tree", (void (*)(void)) p_nng_http_handler_set_tree },
	{ "nng_http_handler_set_tree_exclusive", (void (*)(void)) p_nng_http_handler_set_tree_exclusive },
	{ "nng_http_handler_set_data", (void (*)(void)) p_nng_http_handler_set_data },
	{ "nng_http_handler_get_data", (void (*)(void)) p_nng_http_handler_get_data },
	{ "nng_http_server_hold", (void (*)(void)) p_nng_http_server_hold },
	{ "nng_http_server_release", (void (*)(void)) p_nng_http_server_release },
	{ "nng_http_server_start", (void (*)(void)) p_nng_http_server_start },
	{ "nng_http_server_stop", (void (*)(void)) p_nng_http_server_stop },
	{ "nng_http_server_add_handler", (void (*)(void)) p_nng_http_server_add_handler },
	{ "nng_http_server_del_handler", (void (*)(void)) p_nng_http_server_del_handler },
	{ "nng_http_server_set_tls", (void (*)(void)) p_nng_http_server_set_tls },
	{ "nng_http_server_get_tls", (void (*)(void)) p_nng_http_server_get_tls },
	{ "nng_http_server_get_addr", (void (*)(void)) p_nng_http_server_get_addr },
	{ "nng_http_server_set_error_page", (void (*)(void)) p_nng_http_server_set_error_page },
	{ "nng_http_server_set_error_file", (void (*)(void)) p_nng_http_server_set_error_file },
	{ "nng_http_server_res_error", (void (*)(void)) p_nng_http_server_res_error },
	{ "nng_http_hijack", (void (*)(void)) p_nng_http_hijack },
	{ "nng_http_client_alloc", (void (*)(void)) p_nng_http_client_alloc },
	{ "nng_http_client_free", (void (*)(void)) p_nng_http_client_free },
	{ "nng_http_client_set_tls", (void (*)(void)) p_nng_http_client_set_tls },
	{ "nng_http_client_get_tls", (void (*)(void)) p_nng_http_client_get_tls },
	{ "nng_http_client_connect", (void (*)(void)) p_nng_http_client_connect },
	{ "nng_http_conn_transact", (void (*)(void)) p_nng_http_conn_transact },
	{ "nng_http_client_transact", (void (*)(void)) p_nng_http_client_transact },
	{ "nn_cmsg_next", (void (*)(void)) p_nn_cmsg_next },
	{ "nn_socket", (void (*)(void)) p_nn_socket },
	{ "nn_setsockopt", (void (*)(void)) p_nn_setsockopt },
	{ "nn_getsockopt", (void (*)(void)) p_nn_getsockopt },
	{ "nn_bind", (void (*)(void)) p_nn_bind },
	{ "nn_connect", (void (*)(void)) p_nn_connect },
	{ "nn_shutdown", (void (*)(void)) p_nn_shutdown },
	{ "nn_send", (void (*)(void)) p_nn_send },
	{ "nn_recv", (void (*)(void)) p_nn_recv },
	{ "nn_sendmsg", (void (*)(void)) p_nn_sendmsg },
	{ "nn_recvmsg", (void (*)(void)) p_nn_recvmsg },
	{ "nn_close", (void (*)(void)) p_nn_close },
	{ "nn_poll", (void (*)(void)) p_nn_poll },
	{ "nn_device", (void (*)(void)) p_nn_device },
	{ "nn_get_statistic", (void (*)(void)) p_nn_get_statistic },
	{ "nn_allocmsg", (void (*)(void)) p_nn_allocmsg },
	{ "nn_reallocmsg", (void (*)(void)) p_nn_reallocmsg },
	{ "nn_freemsg", (void (*)(void)) p_nn_freemsg },
	{ "nn_errno", (void (*)(void)) p_nn_errno },
	{ "nn_strerror", (void (*)(void)) p_nn_strerror },
	{ "nn_term", (void (*)(void)) p_nn_term },
	{ NULL, NULL },
};

static void
test_every_function_is_exported(void)
{
	int n = 0;
	for (const api_fn *f = api_fns; f->name != NULL; f++) {
		if (f->fn == NULL) {
			NUTS_ABORT_("%s is missing", f->name);
		}
		n++;
	}
	// 16 in tls.h, 3 in engine.h, 75 in http.h, 21 in nn.h.
	NUTS_EQ(n, 115);
}

static void
test_tls_rustls_engine(void)
{
	nng_tls_config *cfg = NULL;
	NUTS_PASS(nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT));
	NUTS_TRUE(cfg != NULL);
	nng_tls_config_free(cfg);
	NUTS_FAIL(nng_tls_config_alloc(NULL, NNG_TLS_MODE_SERVER), NNG_EINVAL);
	NUTS_FAIL(nng_tls_config_server_name(NULL, "x"), NNG_EINVAL);
	NUTS_FAIL(nng_tls_config_key(NULL, NULL, 0), NNG_EINVAL);
	NUTS_MATCH(nng_tls_engine_name(), "rustls");
	NUTS_TRUE(strlen(nng_tls_engine_description()) > 0);
	NUTS_TRUE(!nng_tls_engine_fips_mode());
	nng_tls_config_hold(NULL);
	nng_tls_config_free(NULL);
}

static void
test_tls_engine_register_checks_version(void)
{
	nng_tls_engine eng;
	memset(&eng, 0, sizeof(eng));
	eng.name        = "test";
	eng.description = "test engine";
	eng.version     = NNG_TLS_ENGINE_V1;
	NUTS_FAIL(nng_tls_engine_register(NULL), NNG_EINVAL);
	NUTS_FAIL(nng_tls_engine_register(&eng), NNG_ENOTSUP);
	NUTS_MATCH(nng_tls_engine_name(), "rustls");
}

static void
test_tls_constants(void)
{
	NUTS_EQ(NNG_TLS_MODE_CLIENT, 0);
	NUTS_EQ(NNG_TLS_MODE_SERVER, 1);
	NUTS_EQ(NNG_TLS_AUTH_MODE_NONE, 0);
	NUTS_EQ(NNG_TLS_AUTH_MODE_OPTIONAL, 1);
	NUTS_EQ(NNG_TLS_AUTH_MODE_REQUIRED, 2);
	NUTS_EQ(NNG_TLS_1_0, 0x301);
	NUTS_EQ(NNG_TLS_1_2, 0x303);
	NUTS_EQ(NNG_TLS_1_3, 0x304);
	NUTS_EQ(NNG_TLS_ENGINE_V0, 0);
	NUTS_EQ(NNG_TLS_ENGINE_V1, 1);
	NUTS_EQ(NNG_TLS_ENGINE_V2, 2);
	NUTS_EQ(NNG_TLS_ENGINE_VERSION, NNG_TLS_ENGINE_V2);
	NUTS_EQ(sizeof(nng_tls_mode), 4);
	NUTS_EQ(sizeof(nng_tls_engine_version), 4);
}

static void
test_tls_engine_layouts(void)
{
	size_t p = sizeof(void *);
	NUTS_EQ(sizeof(nng_tls_engine_conn_ops), 10 * p);
	NUTS_EQ(offsetof(nng_tls_engine_conn_ops, init), p);
	NUTS_EQ(offsetof(nng_tls_engine_conn_ops, verified), 7 * p);
	NUTS_EQ(offsetof(nng_tls_engine_conn_ops, peer_cn), 8 * p);
	NUTS_EQ(offsetof(nng_tls_engine_conn_ops, peer_alt_names), 9 * p);
	NUTS_EQ(sizeof(nng_tls_engine_config_ops), 9 * p);
	NUTS_EQ(offsetof(nng_tls_engine_config_ops, psk), 7 * p);
	NUTS_EQ(offsetof(nng_tls_engine_config_ops, version), 8 * p);
	NUTS_EQ(offsetof(nng_tls_engine, config_ops), p);
	NUTS_EQ(offsetof(nng_tls_engine, conn_ops), 2 * p);
	NUTS_EQ(offsetof(nng_tls_engine, description), 4 * p);
	NUTS_EQ(offsetof(nng_tls_engine, fips_mode), 5 * p);
	NUTS_EQ(sizeof(nng_tls_engine), 6 * p);
}

static void
test_http_without_support(void)
{
	nng_http_req *req = NULL;
	nng_http_res *res = NULL;
	void         *data = &data;
	size_t        len  = 7;

	NUTS_FAIL(nng_http_req_alloc(&req, NULL), NNG_ENOTSUP);
	NUTS_NULL(req);
	NUTS_FAIL(nng_http_req_alloc(NULL, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_http_res_alloc(&res), NNG_ENOTSUP);
	NUTS_FAIL(nng_http_res_alloc_error(&res, 404), NNG_ENOTSUP);
	NUTS_NULL(res);
	NUTS_EQ(nng_http_res_get_status(NULL), 0);
	NUTS_NULL(nng_http_req_get_header(NULL, "Host"));
	nng_http_res_get_data(NULL, &data, &len);
	NUTS_NULL(data);
	NUTS_EQ(len, 0);
	nng_http_req_free(NULL);
	nng_http_res_free(NULL);
}

static void
test_http_status_values(void)
{
	NUTS_EQ(NNG_HTTP_STATUS_CONTINUE, 100);
	NUTS_EQ(NNG_HTTP_STATUS_OK, 200);
	NUTS_EQ(NNG_HTTP_STATUS_IM_USED, 226);
	NUTS_EQ(NNG_HTTP_STATUS_STATUS_MOVED_PERMANENTLY, 301);
	NUTS_EQ(NNG_HTTP_STATUS_PERMANENT_REDIRECT, 308);
	NUTS_EQ(NNG_HTTP_STATUS_NOT_FOUND, 404);
	NUTS_EQ(NNG_HTTP_STATUS_TEAPOT, 418);
	NUTS_EQ(NNG_HTTP_STATUS_UNAVAIL_LEGAL_REASONS, 451);
	NUTS_EQ(NNG_HTTP_STATUS_HTTP_VERSION_NOT_SUPP, 505);
	NUTS_EQ(NNG_HTTP_STATUS_NETWORK_AUTH_REQUIRED, 511);
	NUTS_EQ(sizeof(enum nng_http_status), 4);
}

static void
test_compat_constants(void)
{
	NUTS_EQ(AF_SP, 1);
	NUTS_EQ(AF_SP_RAW, 2);
	NUTS_EQ(NN_SOCKADDR_MAX, 128);
	NUTS_EQ(NN_SOL_SOCKET, 0);
	NUTS_EQ(NN_DONTWAIT, 1);
	NUTS_EQ(PROTO_SP, 1);
	NUTS_EQ(SP_HDR, 1);
	NUTS_EQ(NN_ERRBASE, 0x10000000);
	NUTS_EQ(ETERM, NN_ERRBASE + 29);
	NUTS_EQ(EFSM, NN_ERRBASE + 30);
	NUTS_EQ(ESOCKNOSPPORT, NN_ERRBASE + 28);
	NUTS_EQ(NN_LINGER, 1);
	NUTS_EQ(NN_RCVFD, 11);
	NUTS_EQ(NN_MAXTTL, 17);
	NUTS_EQ(NN_POLLIN, 1);
	NUTS_EQ(NN_POLLOUT, 2);
	NUTS_TRUE(NN_MSG == (size_t) -1);
	NUTS_EQ(NN_BUS, 112);
	NUTS_EQ(NN_INPROC, -1);
	NUTS_EQ(NN_IPC, -2);
	NUTS_EQ(NN_IPC_INBUFSZ, 3);
	NUTS_EQ(NN_PAIR, 16);
	NUTS_EQ(NN_PAIR_v0, 16);
	NUTS_EQ(NN_PAIR_V1, 17);
	NUTS_EQ(NN_PUSH, 80);
	NUTS_EQ(NN_PULL, 81);
	NUTS_EQ(NN_PUB, 32);
	NUTS_EQ(NN_SUB, 33);
	NUTS_EQ(NN_SUB_SUBSCRIBE, 529);
	NUTS_EQ(NN_SUB_UNSUBSCRIBE, 530);
	NUTS_EQ(NN_REQ, 48);
	NUTS_EQ(NN_REP, 49);
	NUTS_EQ(NN_REQ_RESEND_IVL, 769);
	NUTS_EQ(NN_SURVEYOR, 98);
	NUTS_EQ(NN_RESPONDENT, 99);
	NUTS_EQ(NN_SURVEYOR_DEADLINE, 1569);
	NUTS_EQ(NN_TCP, -3);
	NUTS_EQ(NN_TCP_NODELAY, 1);
	NUTS_EQ(NN_WS, -4);
	NUTS_EQ(NN_WS_MSG_TYPE, 1);
	NUTS_EQ(NN_WS_MSG_TYPE_TEXT, 1);
	NUTS_EQ(NN_WS_MSG_TYPE_BINARY, 2);
}

static void
test_compat_layouts(void)
{
	size_t p = sizeof(void *);
	NUTS_EQ(sizeof(struct nn_pollfd), 8);
	NUTS_EQ(offsetof(struct nn_pollfd, revents), 6);
	NUTS_EQ(sizeof(struct nn_iovec), 2 * p);
	NUTS_EQ(sizeof(struct nn_msghdr), 4 * p);
	NUTS_EQ(offsetof(struct nn_msghdr, msg_control), 2 * p);
	NUTS_EQ(offsetof(struct nn_msghdr, msg_controllen), 3 * p);
	NUTS_EQ(sizeof(struct nn_cmsghdr), p + 8);
	NUTS_EQ(NN_CMSG_LEN(4), NN_CMSG_ALIGN(sizeof(struct nn_cmsghdr)) + 4);
	if (p == 8) {
		NUTS_EQ(NN_CMSG_SPACE(4), 24);
		NUTS_EQ(NN_CMSG_LEN(4), 20);
	}
}

NUTS_TESTS = {
	{ "every function is exported", test_every_function_is_exported },
	{ "tls rustls engine", test_tls_rustls_engine },
	{ "tls engine register checks version",
	    test_tls_engine_register_checks_version },
	{ "tls constants", test_tls_constants },
	{ "tls engine layouts", test_tls_engine_layouts },
	{ "http without support", test_http_without_support },
	{ "http status values", test_http_status_values },
	{ "compat constants", test_compat_constants },
	{ "compat layouts", test_compat_layouts },
	{ NULL, NULL },
};
