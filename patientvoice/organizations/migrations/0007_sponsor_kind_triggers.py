"""The rules about a sponsor's kind that a CHECK constraint cannot hold, because they
look at another table (decisions/0038): a sponsorship's organisation is of kind
sponsor; an organisation with sponsorships stays a sponsor; an organisation that hosts
communities cannot become a sponsor (a sponsor hosts nothing). The actions and forms
say so first, in words; these triggers keep the data true whatever writes it (the
admin, a shell, an import). Each vendor gets its own SQL; both raise an integrity
error."""

from django.db import migrations

from patientvoice.search.schema import RunSQLOn

SQLITE_FORWARD = [
    """
    CREATE TRIGGER organizations_sponsorship_sponsor_kind_insert
    BEFORE INSERT ON organizations_sponsorship
    WHEN (SELECT kind FROM organizations_organization WHERE id = NEW.sponsor_id)
         IS NOT 'sponsor'
    BEGIN SELECT RAISE(ABORT, 'sponsorship_sponsor_must_be_a_sponsor'); END
    """,
    """
    CREATE TRIGGER organizations_sponsorship_sponsor_kind_update
    BEFORE UPDATE OF sponsor_id ON organizations_sponsorship
    WHEN (SELECT kind FROM organizations_organization WHERE id = NEW.sponsor_id)
         IS NOT 'sponsor'
    BEGIN SELECT RAISE(ABORT, 'sponsorship_sponsor_must_be_a_sponsor'); END
    """,
    """
    CREATE TRIGGER organizations_organization_sponsor_stays
    BEFORE UPDATE OF kind ON organizations_organization
    WHEN NEW.kind IS NOT 'sponsor'
         AND EXISTS (SELECT 1 FROM organizations_sponsorship WHERE sponsor_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'organization_with_sponsorships_stays_a_sponsor'); END
    """,
    """
    CREATE TRIGGER organizations_organization_sponsor_hosts_nothing
    BEFORE UPDATE OF kind ON organizations_organization
    WHEN NEW.kind = 'sponsor'
         AND EXISTS (SELECT 1 FROM communities_community WHERE organization_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'a_sponsor_hosts_no_community'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS organizations_sponsorship_sponsor_kind_insert",
    "DROP TRIGGER IF EXISTS organizations_sponsorship_sponsor_kind_update",
    "DROP TRIGGER IF EXISTS organizations_organization_sponsor_stays",
    "DROP TRIGGER IF EXISTS organizations_organization_sponsor_hosts_nothing",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION organizations_sponsorship_sponsor_kind() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF (SELECT kind FROM organizations_organization WHERE id = NEW.sponsor_id)
         IS DISTINCT FROM 'sponsor' THEN
        RAISE EXCEPTION 'sponsorship_sponsor_must_be_a_sponsor'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER organizations_sponsorship_sponsor_kind
    BEFORE INSERT OR UPDATE OF sponsor_id ON organizations_sponsorship
    FOR EACH ROW EXECUTE FUNCTION organizations_sponsorship_sponsor_kind()
    """,
    """
    CREATE FUNCTION organizations_organization_kind_rules() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.kind <> 'sponsor' AND EXISTS (
        SELECT 1 FROM organizations_sponsorship WHERE sponsor_id = NEW.id
      ) THEN
        RAISE EXCEPTION 'organization_with_sponsorships_stays_a_sponsor'
          USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.kind = 'sponsor' AND EXISTS (
        SELECT 1 FROM communities_community WHERE organization_id = NEW.id
      ) THEN
        RAISE EXCEPTION 'a_sponsor_hosts_no_community' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER organizations_organization_kind_rules
    BEFORE UPDATE OF kind ON organizations_organization
    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION organizations_organization_kind_rules()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS organizations_organization_kind_rules ON organizations_organization",
    "DROP FUNCTION IF EXISTS organizations_organization_kind_rules()",
    "DROP TRIGGER IF EXISTS organizations_sponsorship_sponsor_kind ON organizations_sponsorship",
    "DROP FUNCTION IF EXISTS organizations_sponsorship_sponsor_kind()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0006_sponsorships"),
        ("communities", "0011_thread_medicines"),
    ]

    operations = [
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_REVERSE),
        RunSQLOn("postgresql", POSTGRES_FORWARD, POSTGRES_REVERSE),
    ]
