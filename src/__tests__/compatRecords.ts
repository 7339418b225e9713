import type { PackageRecord } from '../environments/api';

/**
 * Package records as the server's packages route gives them, for the
 * compatibility engine's tests: a conda record (conda-forge, linux-64 by
 * default) and a pip-installed distribution.
 */
export function conda(
  name: string,
  version: string,
  build: string,
  extra: Partial<PackageRecord> = {}
): PackageRecord {
  return {
    name,
    normalized_name: name.toLowerCase().replace(/[-_.]+/g, '-'),
    version,
    build,
    build_number: 0,
    channel: 'conda-forge',
    subdir: 'linux-64',
    depends: [],
    constrains: [],
    size: null,
    url: null,
    requested_spec: null,
    source: 'conda',
    installer: null,
    editable: false,
    conflicts: [],
    ...extra
  };
}

export function pip(
  name: string,
  version: string,
  extra: Partial<PackageRecord> = {}
): PackageRecord {
  return conda(name, version, 'pypi_0', {
    channel: 'pypi',
    subdir: '',
    source: 'pypi',
    installer: 'pip',
    ...extra
  });
}
