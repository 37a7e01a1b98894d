"""The open JSON API, ``/api/v1/``: OpenAPI 3 schema at ``/api/v1/openapi.json``, interactive docs at
``/api/v1/docs``. Read endpoints are anonymous; write endpoints take a per-unit bearer token."""

from __future__ import annotations

from ninja import NinjaAPI

from . import applications, errors, harvest, messages, public, reports, write

DESCRIPTION = """\
政府信息公开平台的开放数据接口。

* 所有响应为 UTF-8 JSON。出错时响应体为
  `{"error": {"code": "…", "message": "中文说明", "field": "出错的参数或 null"}}`。
* 列表分页：`page` 从 1 开始，响应含 `count`（总数）、`pages`、`page_size`；排序稳定（发布时间倒序，再按编号）。
* 读接口支持 `ETag` / `If-None-Match`（304）与跨域访问（CORS，仅 GET）。
* 按客户端地址限流，超出时返回 429 与 `Retry-After`。
* 索引号中的 `/` 直接作为路径的一部分：`/api/v1/entries/QH0101/2025-00001`。
"""

api = NinjaAPI(
    title="政府信息公开开放数据接口",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api_v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", public.router)
api.add_router("", applications.router)
api.add_router("", messages.router)
api.add_router("", write.router)
api.add_router("", reports.router)
api.add_router("", harvest.router)
