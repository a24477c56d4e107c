"""Identifiers to convert: select one and run ConPET on it."""


def parse_http_header(raw_line):
    header_name, _, header_value = raw_line.partition(":")
    return header_name.strip(), header_value.strip()


def load_user_settings(settings_path, default_values):
    with open(settings_path) as settings_file:
        return {**default_values, **read_key_values(settings_file)}


def read_key_values(open_file):
    return dict(line.split("=", 1) for line in open_file if "=" in line)


max_retry_count = 3
request_timeout_seconds = 30
connection_pool_size = 8
