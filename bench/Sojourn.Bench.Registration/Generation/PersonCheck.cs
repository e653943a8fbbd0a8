using Sojourn.Domain;
using Sojourn.Rules;
using Sojourn.Rules.Divisions;

namespace Sojourn.Bench.Registration.Generation;

/// <summary>
/// Checks a generated person with the project's own validators (CitizenId, DivisionTable, code
/// tables), so the generator cannot drift from what the registration API accepts.
/// </summary>
public static class PersonCheck
{
    /// <summary>Problems found, empty when the person is consistent. Messages never contain the number.</summary>
    public static List<string> Problems(SyntheticPerson person, DateOnly today, DivisionTable? divisions = null)
    {
        ArgumentNullException.ThrowIfNull(person);
        divisions ??= DivisionTable.Default;
        var problems = new List<string>();
        if (!CitizenId.TryParse(person.IdNumber, today, out var id, out var error))
        {
            problems.Add("idNumber: " + CitizenId.Describe(error));
        }
        else
        {
            if (id.BirthDate != person.BirthDate)
            {
                problems.Add("birthDate disagrees with idNumber");
            }

            if ((id.Sex == Sex.Male ? "male" : "female") != person.Sex)
            {
                problems.Add("sex disagrees with idNumber");
            }

            if (divisions.Province(id.DivisionCode.Value) is null)
            {
                problems.Add("idNumber division has no province");
            }
        }

        if (divisions.Find(person.HukouDivision) is not { Level: DivisionLevel.County })
        {
            problems.Add("hukouDivision is not a known county");
        }

        if (divisions.Find(person.ResidenceDivision) is not { Level: DivisionLevel.County } residence)
        {
            problems.Add("residenceDivision is not a known county");
        }
        else if (!person.ResidenceAddress.StartsWith(residence.FullName, StringComparison.Ordinal))
        {
            problems.Add("residenceAddress does not start with the division's full name");
        }

        if (person.HukouDivision == person.ResidenceDivision)
        {
            problems.Add("hukou and residence are the same county");
        }

        if (!CodeTables.EthnicGroups.Contains(person.EthnicGroup))
        {
            problems.Add("ethnicGroup not in GB/T 3304");
        }

        if (!CodeTables.EducationLevels.Contains(person.Education))
        {
            problems.Add("education not in GB/T 4658");
        }

        if (person.Name.Length is < 2 or > 50 || person.HukouAddress.Length > 200 || person.ResidenceAddress.Length > 200)
        {
            problems.Add("name or address length out of range");
        }

        if (person.ArrivedOn > today || person.ArrivedOn < person.BirthDate)
        {
            problems.Add("arrivedOn out of range");
        }

        foreach (var child in person.Children)
        {
            if (child.BirthDate > today || child.BirthDate.AddYears(16) <= today)
            {
                problems.Add("child not under 16");
            }

            if (child.IdNumber is not null
                && (!CitizenId.TryParse(child.IdNumber, today, out var cid, out _) || cid.BirthDate != child.BirthDate
                    || (cid.Sex == Sex.Male ? "male" : "female") != child.Sex))
            {
                problems.Add("child idNumber invalid or disagrees");
            }
        }

        return problems;
    }
}
