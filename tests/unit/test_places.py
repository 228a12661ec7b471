"""Places: a district, its towns, its villages; each code registered once."""

from __future__ import annotations

from uuid import UUID

from domain.reference.application import TownInput, VillageInput
from tests.conftest import Memory
from tests.support import ADMIN, DISTRICT, TOWN, VILLAGE, refused


def test_a_registered_village_is_found_by_its_code(memory: Memory) -> None:
    village = memory.places.village(VILLAGE)
    assert (village.name, village.town_code) == ("乌村桥村", TOWN)
    assert village.collective_name == "乌村桥村股份经济合作社"


def test_registering_the_same_places_again_records_nothing(memory: Memory) -> None:
    before = memory.store.last_notification_id()

    memory.places.register_district(DISTRICT, "溧水区", "南京市", "江苏省", ADMIN)
    memory.places.register_town(DISTRICT, TownInput(TOWN, "和凤镇", "town"), ADMIN)
    ids = memory.places.register_villages(
        TOWN, [VillageInput(VILLAGE, "乌村桥村", "乌村桥村股份经济合作社")], ADMIN
    )

    assert memory.store.last_notification_id() == before
    assert isinstance(ids[0], UUID)


def test_a_batch_of_villages_is_recorded_all_or_nothing(memory: Memory) -> None:
    batch = [
        VillageInput("320117107300", "新村", "新村股份经济合作社"),
        VillageInput(VILLAGE, "别的名字", "别的合作社"),  # conflicts with the registered one
    ]
    with refused(memory.store, "place_registered_differently"):
        memory.places.register_villages(TOWN, batch, ADMIN)
    with refused(memory.store, "village_not_registered"):
        memory.places.village("320117107300")


def test_a_code_registered_with_other_details_is_refused(memory: Memory) -> None:
    with refused(memory.store, "place_registered_differently"):
        memory.places.register_district(DISTRICT, "丽水市", "丽水市", "浙江省", ADMIN)
    with refused(memory.store, "place_registered_differently"):
        memory.places.register_town(DISTRICT, TownInput(TOWN, "白马镇", "town"), ADMIN)


def test_a_place_needs_its_parent_registered_and_a_code_under_it(memory: Memory) -> None:
    with refused(memory.store, "parent_place_not_registered"):
        memory.places.register_town("320118", TownInput("320118100", "某镇", "town"), ADMIN)
    with refused(memory.store, "parent_place_not_registered"):
        memory.places.register_village(
            TOWN[:6] + "999", VillageInput("320117999001", "某村", "某"), ADMIN
        )
    with refused(memory.store, "code_not_under_parent"):
        memory.places.register_town(DISTRICT, TownInput("320118100", "某镇", "town"), ADMIN)
    with refused(memory.store, "code_not_under_parent"):
        memory.places.register_village(TOWN, VillageInput("320117108001", "某村", "某"), ADMIN)


def test_malformed_place_codes_and_kinds_are_refused(memory: Memory) -> None:
    with refused(memory.store, "district_code_invalid"):
        memory.places.register_district("32011", "某区", "南京市", "江苏省", ADMIN)
    with refused(memory.store, "town_code_invalid"):
        memory.places.register_town(DISTRICT, TownInput("32011710", "某镇", "town"), ADMIN)
    with refused(memory.store, "invalid_input"):
        memory.places.register_town(DISTRICT, TownInput("320117108", "某镇", "city"), ADMIN)
    with refused(memory.store, "village_code_invalid"):
        memory.places.village("abc")


def test_names_and_sources_longer_than_the_register_keeps_are_refused(memory: Memory) -> None:
    with refused(memory.store, "invalid_input"):
        memory.places.register_district("320118", "区" * 65, "南京市", "江苏省", ADMIN)
    with refused(memory.store, "invalid_input"):
        memory.places.register_town(DISTRICT, TownInput("320117108", "镇" * 65, "town"), ADMIN)
    with refused(memory.store, "invalid_input"):
        memory.places.register_village(
            TOWN, VillageInput("320117107300", "新村", "社", source="s" * 501), ADMIN
        )
    memory.places.register_village(
        TOWN, VillageInput("320117107300", "村" * 64, "社" * 200, source="s" * 500), ADMIN
    )
