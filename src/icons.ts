import { LabIcon } from '@jupyterlab/ui-components';

import condaEnvsSvgstr from '../style/icons/conda-envs.svg';

/**
 * The panel's icon; its `jp-icon3` fill follows the theme.
 */
export const condaEnvsIcon = new LabIcon({
  name: 'jupyterlab-conda-envs:conda-envs',
  svgstr: condaEnvsSvgstr
});
