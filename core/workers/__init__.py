"""The one worker layer: every long job (a Train-page training, the default experiment, a
sweep's runs, a translation model's training, a BLEU analysis's extraction blocks) runs here,
off the caller's thread, in spawned processes (never forked: safe from a threaded server).

    tasks.py      what a worker runs: a task with run(report, should_stop) (TrainRun, Call)
    pool.py       JobPool: spawned local workers, one queue with places, progress, Stop
    dask_pool.py  DaskJobPool: the same methods on a Dask scheduler
    choose.py     make_pool(): the scheduler when an address is set, else the local pool
    kept.py       kept local pools for short parallel calls (BLEU extraction)
    registry.py   the server's Train-page jobs, listed and stopped from any session
    worker.py     a worker process's loop; priority.py its lower CPU priority
"""
