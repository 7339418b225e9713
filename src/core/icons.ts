import { LabIcon } from '@jupyterlab/ui-components';

import condaEnvsSvgstr from '../../style/icons/conda-envs.svg';
import frozenSvgstr from '../../style/icons/frozen.svg';
import snapshotSvgstr from '../../style/icons/snapshot.svg';

/**
 * The panel's icon; its `jp-icon3` fill follows the theme.
 */
export const condaEnvsIcon = new LabIcon({
  name: 'jupyterlab-conda-envs:conda-envs',
  svgstr: condaEnvsSvgstr
});

/**
 * "Snapshot environment": a camera, as for taking a picture of the state.
 */
export const snapshotIcon = new LabIcon({
  name: 'jupyterlab-conda-envs:snapshot',
  svgstr: snapshotSvgstr
});

/**
 * A frozen environment (CEP 22): a padlock, as conda refuses to change it.
 */
export const frozenIcon = new LabIcon({
  name: 'jupyterlab-conda-envs:frozen',
  svgstr: frozenSvgstr
});
