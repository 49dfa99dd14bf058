"""Use cases of partner organizations and their banners. A banner is uploaded straight to S3 (presigned,
limited to the announced size), then confirmed: checked byte by byte before any decoder sees it, decoded and
re-encoded without ancillary chunks by the image library of the banner function alone, and published under a
key of its own; a refused upload is deleted and the current banner stays."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools import Logger

from handoff import keys, storage
from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.config import file_settings
from handoff.errors import Conflict, Invalid, NotFound, check_live, check_version
from handoff.events.envelope import Envelope, new_event, user_actor
from handoff.ids import new_id, utc_now
from handoff.partners import domain, public
from handoff.partners import repository as repo
from handoff.partners.schemas import (
    BannerUploadIn,
    BannerUploadOut,
    BrandingOut,
    DefaultBannerOut,
    OrgUnitCreate,
    OrgUnitOut,
    OrgUnitPage,
    OrgUnitPatch,
    PartnerOrgCreate,
    PartnerOrgOut,
    PartnerOrgPage,
    PartnerOrgPatch,
    TeamCreate,
    TeamOut,
    TeamPage,
    TeamPatch,
)
from handoff.portal import public as portal

logger = Logger(child=True)
SOURCE = "handoff.partners"
NOT_FOUND = "partner organization not found"


def _out(item: repo.PartnerOrgItem) -> PartnerOrgOut:
    return PartnerOrgOut(
        partner_org_id=item.partner_org_id,
        name=item.name,
        contact_email=item.contact_email,
        archived=bool(item.archived),
        use_custom_banner=bool(item.use_custom_banner),
        has_banner=item.banner_key is not None,
        banner_updated_at=item.banner_updated_at,
        version=int(item.version or 0),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _event(
    access: Access,
    item: repo.PartnerOrgItem | repo.OrgUnitItem | repo.TeamItem | repo.BrandingItem,
    type: str,
    **data: object,
) -> Envelope:
    facts: dict[str, object]
    if isinstance(item, repo.BrandingItem):
        entity, facts = ("portal_branding", item.tenant_id), {"name": "default banner"}
    elif isinstance(item, repo.OrgUnitItem):
        entity, facts = (
            ("org_unit", item.org_unit_id),
            {"name": item.name, "partner_org_id": item.partner_org_id},
        )
    elif isinstance(item, repo.TeamItem):
        entity, facts = ("team", item.team_id), {"name": item.name, "layers": len(item.layers)}
    else:
        entity, facts = ("partner_organization", item.partner_org_id), {"name": item.name}
    return new_event(
        source=SOURCE,
        type=type,
        tenant_id=item.tenant_id,
        entity_type=entity[0],
        entity_id=entity[1],
        version=(item.version or 0) + 1,
        actor=user_actor(access.user_id, access.tenant),
        data={**facts, **data},
    )


def _found(access: Access, partner_org_id: str) -> repo.PartnerOrgItem:
    item = repo.get(access.tenant, partner_org_id)
    if item is None:
        raise NotFound(NOT_FOUND)
    return item


def create(access: Access, body: PartnerOrgCreate) -> PartnerOrgOut:
    item = repo.new_partner_org(access.tenant, body.name, access.user_id)
    item.contact_email = body.contact_email
    repo.save(item, _event(access, item, "PartnerOrganizationCreated"))
    return _out(item)


def get(access: Access, partner_org_id: str) -> PartnerOrgOut:
    return _out(_found(access, partner_org_id))


def list_(
    access: Access, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> PartnerOrgPage:
    page = repo.listed(access.tenant, name_prefix, include_archived, limit, cursor)
    return PartnerOrgPage(items=[_out(i) for i in page.items], next_cursor=page.next_cursor)


def update(
    access: Access, partner_org_id: str, patch: PartnerOrgPatch, expected_version: int | None
) -> PartnerOrgOut:
    item = _found(access, partner_org_id)
    check_version(expected_version, item.version)
    changes = patch.model_dump(exclude_unset=True)
    if changes.get("use_custom_banner") and item.banner_key is None:
        raise Invalid("use_custom_banner", "upload and confirm a banner first")
    for field, value in changes.items():
        setattr(item, field, value)
    repo.save(item, _event(access, item, "PartnerOrganizationUpdated", changed=sorted(changes)))
    return _out(item)


# ---- org units -----------------------------------------------------------------------------------------


def _unit_out(item: repo.OrgUnitItem) -> OrgUnitOut:
    return OrgUnitOut.model_validate(item, from_attributes=True)


def _check_partner_org(tenant_id: str, partner_org_id: str | None) -> None:
    if partner_org_id is None:
        return
    org = repo.get(tenant_id, partner_org_id)
    check_live("partner_org_id", None if org is None else not org.archived, "partner organization")


def _unit(access: Access, org_unit_id: str) -> repo.OrgUnitItem:
    item = repo.get_org_unit(access.tenant, org_unit_id)
    if item is None:
        raise NotFound("org unit not found")
    return item


def create_org_unit(access: Access, body: OrgUnitCreate) -> OrgUnitOut:
    _check_partner_org(access.tenant, body.partner_org_id)
    item = repo.new_org_unit(access.tenant, body.name, access.user_id)
    item.partner_org_id = body.partner_org_id
    repo.save(item, _event(access, item, "OrgUnitCreated"))
    return _unit_out(item)


def get_org_unit(access: Access, org_unit_id: str) -> OrgUnitOut:
    return _unit_out(_unit(access, org_unit_id))


def list_org_units(
    access: Access, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> OrgUnitPage:
    page = repo.listed_org_units(access.tenant, name_prefix, include_archived, limit, cursor)
    return OrgUnitPage(items=[_unit_out(i) for i in page.items], next_cursor=page.next_cursor)


def update_org_unit(
    access: Access, org_unit_id: str, patch: OrgUnitPatch, expected_version: int | None
) -> OrgUnitOut:
    item = _unit(access, org_unit_id)
    check_version(expected_version, item.version)
    changes = patch.model_dump(exclude_unset=True)
    _check_partner_org(access.tenant, changes.get("partner_org_id"))
    for field, value in changes.items():
        setattr(item, field, value)
    repo.save(item, _event(access, item, "OrgUnitUpdated", changed=sorted(changes)))
    return _unit_out(item)


def org_units_of(access: Access, partner_org_id: str, limit: int, cursor: str | None) -> OrgUnitPage:
    """The partner organization's tab of org units (associated on the org unit)."""
    _found(access, partner_org_id)
    page = repo.org_units_of(access.tenant, partner_org_id, limit, cursor)
    return OrgUnitPage(items=[_unit_out(i) for i in page.items], next_cursor=page.next_cursor)


# ---- teams ---------------------------------------------------------------------------------------------


def _team_out(item: repo.TeamItem) -> TeamOut:
    return TeamOut.model_validate(
        {
            "team_id": item.team_id,
            "name": item.name,
            "layers": item.layers,
            "routes_outward": bool(item.routes_outward),
            "vendor_terms": item.vendor_terms,
            "archived": bool(item.archived),
            "version": int(item.version or 0),
            "created_at": item.created_at,
            "updated_at": item.updated_at,
        }
    )


def _team(access: Access, team_id: str) -> repo.TeamItem:
    item = repo.get_team(access.tenant, team_id)
    if item is None:
        raise NotFound("team not found")
    return item


def _check_team(tenant_id: str, item: repo.TeamItem) -> None:
    """Every layer member is a live technician, dispatcher or partner user (one BatchGetItem), a partner user
    in an organization; a team routing outward names the terms it offers."""
    found = accounts.workers(tenant_id, [m for layer in item.layers for m in layer["members"]])
    for n, layer in enumerate(item.layers):
        for i, user_id in enumerate(layer["members"]):
            worker = found.get(user_id)
            domain.check_layer_member(
                worker.roles if worker else None,
                worker.partner_org_id if worker else None,
                f"layers.{n}.members.{i}",
            )
    if item.routes_outward and not item.vendor_terms:
        raise Invalid(
            "vendor_terms", "a team that routes outward names the terms it offers its preferred vendor"
        )


def _apply_team(item: repo.TeamItem, changes: dict[str, object]) -> None:
    for field, value in changes.items():
        setattr(item, field, value)


def create_team(access: Access, body: TeamCreate) -> TeamOut:
    item = repo.new_team(access.tenant, body.name, access.user_id)
    _apply_team(item, body.model_dump(mode="json", exclude={"name"}))
    _check_team(access.tenant, item)
    repo.save(item, _event(access, item, "TeamCreated"))
    return _team_out(item)


def get_team(access: Access, team_id: str) -> TeamOut:
    return _team_out(_team(access, team_id))


def list_teams(
    access: Access, name_prefix: str | None, include_archived: bool, limit: int, cursor: str | None
) -> TeamPage:
    page = repo.listed_teams(access.tenant, name_prefix, include_archived, limit, cursor)
    return TeamPage(items=[_team_out(i) for i in page.items], next_cursor=page.next_cursor)


def update_team(access: Access, team_id: str, patch: TeamPatch, expected_version: int | None) -> TeamOut:
    item = _team(access, team_id)
    check_version(expected_version, item.version)
    changes = patch.model_dump(mode="json", exclude_unset=True)
    _apply_team(item, changes)
    # Renaming or archiving a team whose member has since left stays possible; what routes is checked.
    if {"layers", "routes_outward", "vendor_terms"} & set(changes) or changes.get("archived") is False:
        _check_team(access.tenant, item)
    repo.save(item, _event(access, item, "TeamUpdated", changed=sorted(changes)))
    return _team_out(item)


# ---- banners -------------------------------------------------------------------------------------------


Holder = repo.PartnerOrgItem | repo.BrandingItem


def _holder(access: Access, partner_org_id: str | None) -> Holder:
    """Whose banner: a live partner organization's, or (none named) the tenant's default."""
    if partner_org_id is None:
        return repo.get_branding(access.tenant) or repo.new_branding(access.tenant)
    item = _found(access, partner_org_id)
    if item.archived:
        raise Conflict("this partner organization is archived; restore it first", code="archived")
    return item


def _holder_id(item: Holder) -> str:
    return item.partner_org_id if isinstance(item, repo.PartnerOrgItem) else keys.DEFAULT_BANNER


def start_banner_upload(access: Access, partner_org_id: str | None, body: BannerUploadIn) -> BannerUploadOut:
    """A presigned POST for one PNG of the announced size (S3 refuses a bigger one); the organization (or the
    tenant's branding) remembers which upload its confirmation checks."""
    item = _holder(access, partner_org_id)
    upload_id = new_id()
    key = keys.banner_upload_key(item.tenant_id, _holder_id(item), upload_id)
    settings = file_settings()
    upload = storage.presigned_upload(
        settings.banner_bucket, key, "image/png", body.size_bytes, settings.upload_seconds
    )
    item.pending_upload = {"upload_id": upload_id, "size_bytes": body.size_bytes}
    repo.save(item, None)
    return BannerUploadOut(
        upload_id=upload_id, url=upload.url, fields=upload.fields, expires_at=upload.expires_at
    )


def confirm_banner(access: Access, partner_org_id: str, reencode: Callable[[bytes], bytes]) -> PartnerOrgOut:
    item = _confirm(access, _holder(access, partner_org_id), reencode)
    assert isinstance(item, repo.PartnerOrgItem)
    return _out(item)


def confirm_default_banner(access: Access, reencode: Callable[[bytes], bytes]) -> DefaultBannerOut:
    item = _confirm(access, _holder(access, None), reencode)
    return DefaultBannerOut(has_banner=item.banner_key is not None, banner_updated_at=item.banner_updated_at)


def _confirm(access: Access, item: Holder, reencode: Callable[[bytes], bytes]) -> Holder:
    """Checks the upload (size first, then structure and dimensions, then a clean decode), publishes its
    re-encoding, and deletes the upload whatever the outcome."""
    pending = item.pending_upload
    if not pending:
        raise Conflict(
            "no banner upload waits for confirmation; ask for an upload first", code="upload_missing"
        )
    bucket = file_settings().banner_bucket
    upload_key = keys.banner_upload_key(item.tenant_id, _holder_id(item), pending["upload_id"])
    try:
        found = storage.uploaded(bucket, upload_key, 0)
        if found is None:
            raise Conflict("nothing was uploaded for this banner yet", code="upload_missing")
        domain.check_size(int(pending["size_bytes"]), found.size)
        data = storage.read(bucket, upload_key, domain.MAX_BANNER_BYTES, found.etag)
        domain.check_banner(data)
        clean = reencode(data)
        domain.check_reencoded(clean)
    except domain.BannerRefused:
        storage.discard(bucket, upload_key)  # never served, and gone; the current banner stays
        raise
    # Each attempt publishes under a key of its own: a concurrent confirm that loses the race removes only
    # what it wrote itself, never the banner the winner committed.
    target = keys.banner_object_key(item.tenant_id, _holder_id(item), new_id())
    storage.put(bucket, target, clean, "image/png")
    previous = item.banner_key
    item.banner_key, item.banner_updated_at, item.pending_upload = target, utc_now(), None
    published = "PartnerBannerPublished" if isinstance(item, repo.PartnerOrgItem) else "PortalBannerPublished"
    try:
        repo.save(item, _event(access, item, published, size_bytes=len(clean)))
    except Exception:
        storage.discard(bucket, target)
        raise
    for leftover in (upload_key, previous):
        try:
            if leftover:
                storage.discard(bucket, leftover)
        except Exception:  # committed: the lifecycle rules remove what is left
            logger.warning("banner object left for the lifecycle rule", holder=_holder_id(item))
    return item


def branding(access: Access, customer_id: str | None) -> BrandingOut:
    """The banner a portal user's company shows: its partner organization's (while it uses its custom
    banner), or else the tenant's default banner, or else the standard look (no URL)."""
    chosen = customer_id or (min(access.customer_ids) if access.customer_ids else None)
    if chosen is None or not access.may_see_customer(chosen):
        raise NotFound("customer not found")
    customer = portal.partner_org_of(access.tenant, chosen)
    if customer is None:
        raise NotFound("customer not found")
    partner_org_id = public.partner_org_of_customer(access.tenant, *customer)
    org = repo.get(access.tenant, partner_org_id) if partner_org_id else None
    if org is not None and not org.archived and org.use_custom_banner and org.banner_key:
        return BrandingOut(
            source="partner_organization", partner_org_id=partner_org_id, banner_url=_shown(org.banner_key)
        )
    default = repo.get_branding(access.tenant)
    if default is not None and default.banner_key:
        return BrandingOut(source="tenant", partner_org_id=None, banner_url=_shown(default.banner_key))
    return BrandingOut(source="default", partner_org_id=None, banner_url=None)


def _shown(banner_key: str) -> str:
    """A short-lived URL of a published banner, shown inline (it was re-encoded)."""
    settings = file_settings()
    return storage.download_url(
        settings.banner_bucket, banner_key, "banner.png", settings.download_seconds, inline=True
    )
